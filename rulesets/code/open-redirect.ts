import { pathOf, sinkResults } from './flow.ts';
import { defineCodeRule } from './rule.ts';

export default defineCodeRule({
  meta: {
    id: 'open-redirect',
    engine: 'code',
    severity: 'warning',
    title: 'Request data chooses where a redirect goes.',
    rationale:
      'A redirect to a URL taken from the request (`?next=`, `returnTo`) sends users of your domain to any site the ' +
      'attacker names: phishing pages that look like your login, and OAuth flows that leak codes (CWE-601). ' +
      'Redirects to a path the code fixes (`/users/${id}`), to a fixed host, or to a value checked against an ' +
      "allow-list or as a relative path (`startsWith('/')` and not `//`) are safe.",
    fix:
      "Redirect only to relative paths you accept (`url.startsWith('/') && !url.startsWith('//')`) or to hosts in " +
      'an allow-list (`ALLOWED_HOSTS.includes(new URL(url).host)`); otherwise redirect to a default page.',
    cwe: ['CWE-601'],
    owasp: ['API8:2023'],
    category: 'input-validation',
    examples: {
      language: 'ts',
      vulnerable: "app.get('/login/done', (req, res) => {\n  res.redirect(String(req.query.next));\n});\n",
      safe: "app.get('/login/done', (req, res) => {\n  const next = String(req.query.next ?? '/');\n  res.redirect(next.startsWith('/') && !next.startsWith('//') ? next : '/');\n});\n",
    },
  },
  check({ flow }) {
    return sinkResults(
      flow.arrivals,
      'redirect',
      (first, sources) =>
        `${sources} chooses the target of ${first.sink.name}: ${pathOf(first)}. Accept only relative paths or allow-listed hosts.`,
    );
  },
});
