import assert from 'node:assert/strict';

/** A tiny cookie jar, so a test walks the portal as one phone (language, device token, votes). */
export class Phone {
  private jar = new Map<string, string>();
  constructor(
    private readonly base: string,
    lang?: string
  ) {
    if (lang) this.jar.set('lang', lang);
  }
  cookie(name: string): string | undefined {
    return this.jar.get(name);
  }
  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (!headers.has('Accept')) headers.set('Accept', 'text/html');
    if (this.jar.size) headers.set('Cookie', [...this.jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(this.base + path, { ...init, headers, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      this.jar.set(pair!.slice(0, i), decodeURIComponent(pair!.slice(i + 1)));
    }
    return res;
  }
  async page(path: string): Promise<string> {
    const res = await this.fetch(path);
    assert.equal(res.status, 200, `GET ${path}`);
    return res.text();
  }
  post(path: string, form: Record<string, string>, accept?: string): Promise<Response> {
    return this.fetch(path, {
      method: 'POST',
      body: new URLSearchParams(form),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...(accept ? { Accept: accept } : {}) },
    });
  }
}
