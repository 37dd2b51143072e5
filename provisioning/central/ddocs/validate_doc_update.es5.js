/*
 * Central's validate_doc_update, shared by every database (DB: content, media, moderation, studio;
 * submissions, fleet, community and opportunities
 * — written by central's replicator only — or hub, a hub's own submissions-<hubId>).
 * ES5 only: CouchDB runs it in its own old JavaScript engine, with no require. design-docs.ts
 * wraps it as
 *   function (newDoc, oldDoc, userCtx, secObj) { return (<this>)(newDoc, oldDoc, userCtx, secObj, DB, SCHEMAS, RULES); }
 * where DB is the database name, SCHEMAS the JSON Schemas generated from content/schema and
 * RULES the schemas' refinements (cross-field rules), the zod refinements' own ES5 functions,
 * which a schema node names by index in `x-rules`.
 * Messages name the field and show a correct value, like the hub's own validation.
 */
(function (newDoc, oldDoc, userCtx, secObj, DB, SCHEMAS, RULES) {
  var roles = (userCtx && userCtx.roles) || [];
  function has(role) {
    for (var i = 0; i < roles.length; i++) if (roles[i] === role) return true;
    return false;
  }
  function forbid(msg) {
    throw { forbidden: msg };
  }
  var isAdmin = has('_admin');
  var isEditor = isAdmin || has('editor');
  var id = String(newDoc._id);

  if (id.indexOf('_design/') === 0) {
    if (!isAdmin) forbid('_id: only an administrator may change design documents');
    return;
  }

  // Moderators publish members' posts and suspend codes; mentors write answers and their group
  // sessions; both store the recordings these carry (media).
  // (A plan only gains the progress officials posted at the spaces: see progressOnly.)
  var moderatorMay = has('moderator') && (DB === 'media' || /^(post|suspension|proposal):/.test(id) || (!isEditor && DB === 'content' && /^plan:/.test(id) && progressOnly()));
  var mentorMay = has('mentor') && (DB === 'media' || /^answer:/.test(id) || (/^event:/.test(id) && (newDoc._deleted || newDoc.kind === 'mentorat')));
  // Elected officials (role "official", their communes as roles "commune:<slug>"; none means
  // every commune) answer published proposals and add progress to plans: nothing else.
  var officialMay = !isEditor && has('official') && (DB === 'media' || (DB === 'content' && officialChange()));
  function officialCommunes() {
    var out = [];
    for (var i = 0; i < roles.length; i++) if (String(roles[i]).indexOf('commune:') === 0) out.push(String(roles[i]).slice(8));
    return out;
  }
  function ownsCommune(list) {
    var mine = officialCommunes();
    if (!mine.length) return true;
    for (var i = 0; i < list.length; i++) for (var j = 0; j < mine.length; j++) if (list[i] === mine[j]) return true;
    return false;
  }
  function same(a, b) {
    var k;
    if (a === b) return true;
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
    var arr = Object.prototype.toString.call(a) === '[object Array]';
    if (arr !== (Object.prototype.toString.call(b) === '[object Array]')) return false;
    if (arr) {
      if (a.length !== b.length) return false;
      for (k = 0; k < a.length; k++) if (!same(a[k], b[k])) return false;
      return true;
    }
    for (k in a) if (a.hasOwnProperty(k) && a[k] !== undefined && !same(a[k], b[k])) return false;
    for (k in b) if (b.hasOwnProperty(k) && b[k] !== undefined && a[k] === undefined) return false;
    return true;
  }
  // The doc without the fields an official may change (and CouchDB's own).
  function without(doc, keys) {
    var out = {}, k, i, skip;
    for (k in doc) {
      if (!doc.hasOwnProperty(k) || k === '_rev' || k === '_revisions') continue;
      skip = false;
      for (i = 0; i < keys.length; i++) if (keys[i] === k) skip = true;
      if (!skip) out[k] = doc[k];
    }
    return out;
  }
  function officialChange() {
    if (!oldDoc || newDoc._deleted) forbid('an official (role "official") only changes published proposals and plans, never creates or deletes them');
    if (/^proposal:/.test(id)) {
      if (!ownsCommune([oldDoc.commune])) forbid('commune: this official answers for ' + officialCommunes().join(', ') + ', not for "' + oldDoc.commune + '"');
      if (!same(without(oldDoc, ['answer', 'status', 'updatedAt']), without(newDoc, ['answer', 'status', 'updatedAt']))) forbid('an official changes only a proposal\'s "answer" (and its "status"), for example {"decision":"retenue","reason":"…"}');
      if (!newDoc.answer || newDoc.status !== newDoc.answer.decision) forbid('status: must be the answer\'s decision, for example "' + (newDoc.answer ? newDoc.answer.decision : 'retenue') + '"');
      return true;
    }
    if (/^plan:/.test(id)) {
      if (!ownsCommune(oldDoc.communes || [])) forbid('communes: this official updates the plans of ' + officialCommunes().join(', ') + ', not of ' + JSON.stringify(oldDoc.communes));
      return progressOnly();
    }
    forbid('an official (role "official") only answers proposals and updates plans');
  }
  // A plan changed only by new progress updates appended to its actions (earlier ones untouched).
  function progressOnly() {
    var i, j, k, op, np, oa, na, before, after;
    var ONLY = 'only the progress of a plan\'s actions may change here (an editor changes the rest)';
    if (!oldDoc || newDoc._deleted) forbid('only an editor creates or deletes a plan; progress is added to an existing one');
    if (!same(without(oldDoc, ['priorities', 'updatedAt']), without(newDoc, ['priorities', 'updatedAt'])) || !newDoc.priorities || newDoc.priorities.length !== oldDoc.priorities.length) forbid(ONLY);
    for (i = 0; i < oldDoc.priorities.length; i++) {
      op = oldDoc.priorities[i];
      np = newDoc.priorities[i];
      if (!same(without(op, ['actions']), without(np, ['actions'])) || !np.actions || np.actions.length !== op.actions.length) forbid(ONLY);
      for (j = 0; j < op.actions.length; j++) {
        oa = op.actions[j];
        na = np.actions[j];
        if (!same(without(oa, ['progress']), without(na, ['progress']))) forbid(ONLY + ', not action "' + oa.id + '" itself');
        before = oa.progress || [];
        after = na.progress || [];
        if (after.length < before.length) forbid('priorities: progress updates are added, never removed');
        for (k = 0; k < before.length; k++) if (!same(before[k], after[k])) forbid('priorities: earlier progress updates of "' + oa.id + '" stay as they were; add a new one');
      }
    }
    return true;
  }
  if (DB === 'content' || DB === 'media') {
    if (!isEditor && !moderatorMay && !mentorMay && !officialMay) forbid('only an editor (role "editor") may write ' + DB + ' documents; hubs only read them');
  } else if (DB === 'moderation') {
    if (!isAdmin && !has('moderator') && !has('mentor')) forbid('only moderators and mentors write the moderation queue and its log');
  } else if (DB === 'studio') {
    // Contributions arrive by the replicator; an editor writes only the decisions about them.
    if (!isAdmin && !has('replicator') && !(isEditor && id.indexOf('review:') === 0)) forbid('only an editor writes in studio, and only reviews ("review:<contribution id>"); contributions come from the hubs');
  } else if (DB === 'jury') {
    // Applications and reports arrive by the replicator; a juror writes only their own
    // assessments; an editor writes only the log of results published.
    if (!isAdmin && !has('replicator')) {
      if (has('jury') && id.indexOf('assessment:') === 0) {
        var juror = (userCtx && userCtx.name) || '';
        if (newDoc._deleted) forbid('an assessment is never deleted: it is part of the record of the jury');
        if (newDoc.juror !== juror) forbid('juror: a juror writes only their own assessments, as "' + juror + '" (got ' + JSON.stringify(newDoc.juror) + ')');
        if (id !== 'assessment:' + String(newDoc.application).replace(/:/g, '.') + '.' + juror) forbid('_id: must be "assessment:' + String(newDoc.application).replace(/:/g, '.') + '.' + juror + '" (one per application and juror)');
        if (newDoc.conflict !== false && newDoc.conflict !== true) forbid('conflict: declare a conflict of interest (true) or its absence (false) before scoring');
        if (newDoc.conflict === true && newDoc.scores) forbid('scores: a juror who declared a conflict of interest does not score this application');
        if (oldDoc && oldDoc.conflict === true && newDoc.conflict !== true) forbid('conflict: a declared conflict of interest cannot be withdrawn to score this application');
        if (oldDoc && oldDoc.juror !== juror) forbid('_id: this assessment is another juror\'s');
      } else if (isEditor && id.indexOf('decision:') === 0) {
        if (oldDoc || newDoc._deleted) forbid('_id: the log of decisions is written once and never changed');
      } else forbid('in jury, a juror (role "jury") writes only their assessments ("assessment:<application>.<juror>") and an editor only the log ("decision:<id>"); applications come from the hubs');
    }
  } else if (DB === 'hub') {
    // A hub's own database (submissions-<hubId>): only members (that hub) get here.
    if (!isAdmin) {
      var name = (userCtx && userCtx.name) || '';
      if (!has('hub') || name.indexOf('hub-') !== 0) forbid('only a hub (a user "hub-<hubId>" with role "hub") may write its submissions');
      var hub = name.slice(4);
      var owner = newDoc.type === 'heartbeat' || (newDoc._deleted && id.indexOf(':') < 0) ? id : id.split(':')[0];
      if (owner !== hub) {
        forbid('_id: hub "' + hub + '" may only write its own documents, for example "' + hub + ':response:0mhz3k0x1000a1b2c3d4e5" (got "' + id + '")');
      }
      if (!newDoc._deleted && newDoc.hubId !== hub) forbid('hubId: must be this hub\'s id, "' + hub + '" (got ' + JSON.stringify(newDoc.hubId) + ')');
    }
  } else if (!isAdmin && !has('replicator')) {
    forbid('only central\'s replicator writes ' + DB + '; a hub pushes into its own database, submissions-<hubId>');
  }
  if (newDoc._deleted) return;

  var schema, kinds;
  if (DB === 'media') schema = SCHEMAS.media;
  else if (DB === 'fleet') schema = SCHEMAS.heartbeat;
  else {
    schema = SCHEMAS[newDoc.type];
    if (!schema || !Object.prototype.hasOwnProperty.call(SCHEMAS, newDoc.type)) {
      kinds = [];
      for (var k in SCHEMAS) if (Object.prototype.hasOwnProperty.call(SCHEMAS, k)) kinds.push(k);
      forbid('type: must be one of ' + kinds.join(', ') + ', for example "' + kinds[0] + '" (got ' + JSON.stringify(newDoc.type) + ')');
    }
  }

  var ROOT = schema;
  function typeOf(v) {
    if (v === null) return 'null';
    if (Object.prototype.toString.call(v) === '[object Array]') return 'array';
    if (typeof v === 'number') return v % 1 === 0 ? 'integer' : 'number';
    return typeof v;
  }
  function typeMatches(want, got) {
    return want === got || (want === 'number' && got === 'integer');
  }
  function show(v) {
    var s = JSON.stringify(v);
    return s && s.length > 60 ? s.slice(0, 57) + '...' : s;
  }
  function resolveRef(ref) {
    if (ref === '#') return ROOT;
    var parts = ref.replace(/^#\//, '').split('/');
    var node = ROOT;
    for (var i = 0; i < parts.length; i++) node = node[parts[i]];
    return node;
  }
  // The schema's own sentence for what failed: the check's (x-hints: min, max, pattern), else
  // the node's (x-hint), else a generic one.
  function fail(s, path, generic, kind) {
    var hints = s['x-hints'];
    if (kind && hints) return { path: path, message: hints[kind] || generic };
    return { path: path, message: s['x-hint'] ? s['x-hint'] : generic };
  }
  // Returns null when `v` fits `s`, else the first problem as { path, message }.
  function check(s, v, path) {
    var i, e, k, t;
    if (!s || s === true) return null;
    if (s.$ref) return check(resolveRef(s.$ref), v, path);
    if (s.allOf) for (i = 0; i < s.allOf.length; i++) if ((e = check(s.allOf[i], v, path))) return e;
    if (s.anyOf || s.oneOf) {
      var alts = s.anyOf || s.oneOf, first = null;
      for (i = 0; i < alts.length; i++) {
        e = check(alts[i], v, path);
        if (!e) { first = null; break; }
        if (!first || e.path.length > first.path.length) first = e;
      }
      if (first) return first;
    }
    t = typeOf(v);
    if (s.type) {
      var types = typeof s.type === 'string' ? [s.type] : s.type, ok = false;
      for (i = 0; i < types.length; i++) if (typeMatches(types[i], t)) ok = true;
      if (!ok) return fail(s, path, 'must be ' + (types.length > 1 ? 'one of the types ' + types.join(', ') : 'of type ' + types[0]) + ' (got ' + t + ')');
    }
    if (s.hasOwnProperty('const') && v !== s['const']) return fail(s, path, 'must be ' + show(s['const']) + ' (got ' + show(v) + ')');
    if (s['enum']) {
      var found = false;
      for (i = 0; i < s['enum'].length; i++) if (s['enum'][i] === v) found = true;
      if (!found) return fail(s, path, 'must be one of ' + show(s['enum']) + ', for example ' + show(s['enum'][0]) + ' (got ' + show(v) + ')');
    }
    if (t === 'string') {
      if (s.minLength !== undefined && v.length < s.minLength) return fail(s, path, 'must have at least ' + s.minLength + ' characters', 'min');
      if (s.maxLength !== undefined && v.length > s.maxLength) return fail(s, path, 'must have at most ' + s.maxLength + ' characters', 'max');
      if (s.pattern && !new RegExp(s.pattern).test(v)) return fail(s, path, 'must match ' + s.pattern + ' (got ' + show(v) + ')', 'pattern');
      if (s.format === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) return fail(s, path, 'must be an email address like "nom@example.org"');
    }
    if (t === 'number' || t === 'integer') {
      if (s.minimum !== undefined && v < s.minimum) return fail(s, path, 'must be at least ' + s.minimum, 'min');
      if (s.maximum !== undefined && v > s.maximum) return fail(s, path, 'must be at most ' + s.maximum, 'max');
      if (s.exclusiveMinimum !== undefined && v <= s.exclusiveMinimum) return fail(s, path, 'must be more than ' + s.exclusiveMinimum, 'min');
      if (s.exclusiveMaximum !== undefined && v >= s.exclusiveMaximum) return fail(s, path, 'must be less than ' + s.exclusiveMaximum, 'max');
    }
    if (t === 'array') {
      if (s.minItems !== undefined && v.length < s.minItems) return fail(s, path, 'must hold at least ' + s.minItems + ' item(s)', 'min');
      if (s.maxItems !== undefined && v.length > s.maxItems) return fail(s, path, 'must hold at most ' + s.maxItems + ' items', 'max');
      if (s.items) for (i = 0; i < v.length; i++) if ((e = check(s.items, v[i], path.concat([String(i)])))) return e;
    }
    if (t === 'object') {
      if (s.required) for (i = 0; i < s.required.length; i++) {
        if (!v.hasOwnProperty(s.required[i]) || v[s.required[i]] === undefined) {
          var sub = (s.properties || {})[s.required[i]] || {};
          return { path: path.concat([s.required[i]]), message: 'is required' + (sub['x-hint'] ? ' (' + sub['x-hint'] + ')' : '') };
        }
      }
      for (k in v) {
        // CouchDB adds _revisions to newDoc; PouchDB may pass keys set to undefined.
        if (!v.hasOwnProperty(k) || v[k] === undefined || (k === '_revisions' && path.length === 0)) continue;
        if (s.properties && s.properties.hasOwnProperty(k)) {
          if ((e = check(s.properties[k], v[k], path.concat([k])))) return e;
        } else if (s.additionalProperties === false) {
          return { path: path.concat([k]), message: 'is not a known field; remove it' };
        } else if (s.additionalProperties && (e = check(s.additionalProperties, v[k], path.concat([k])))) {
          return e;
        }
      }
    }
    // The zod refinements on this node, once its shape is right (as zod runs them).
    if (s['x-rules']) for (i = 0; i < s['x-rules'].length; i++) {
      var rule = RULES[s['x-rules'][i]], kept = false;
      try { kept = rule.test(v); } catch (err) { kept = false; }
      if (!kept) return { path: path.concat(rule.path), message: rule.message };
    }
    return null;
  }

  var problem = check(schema, newDoc, []);
  if (problem) forbid((problem.path.length ? problem.path.join('.') + ': ' : '') + problem.message);
})
