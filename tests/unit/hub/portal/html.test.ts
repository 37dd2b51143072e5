import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { escapeHtml, html, raw } from '../../../../hub/portal/index.js';

describe('portal html template', () => {
  it('escapes every interpolated value unless it is already markup', () => {
    const name = `<script>alert("x")</script> & 'quotes' \``;
    const out = html`<p title="${name}">${name}${raw('<b>ok</b>')}${html`<i>${'<'}</i>`}</p>`.value;
    assert.equal(
      out,
      `<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39; &#96;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39; &#96;<b>ok</b><i>&lt;</i></p>`
    );
  });

  it('renders arrays, numbers and drops null, undefined and false', () => {
    assert.equal(html`${[1, '<', null, undefined, false, html`<br>`]}`.value, '1&lt;<br>');
  });

  it('never lets a string open a tag or an attribute, whatever it holds', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const out = escapeHtml(s);
        assert.ok(!/[<>"'`]/.test(out));
        // Escaping is reversible: nothing is lost.
        assert.equal(
          out.replace(/&(lt|gt|quot|#39|#96|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", '#96': '`', amp: '&' })[e]!),
          s
        );
      })
    );
  });
});
