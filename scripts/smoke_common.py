"""What the production smoke's parts share (scripts/production_smoke.py): the demo roles, the
checks and their count, the timed parts, plain HTTP(S) requests."""

import re
import ssl
import time
import urllib.error
import urllib.request

PASSWORD_DEFAULT = "escp-demo-2026"
ROLES = {
    "coordinator": "coordinator@demo.escp.eu",
    "manager": "manager@demo.escp.eu",
    "officer": "officer@demo.escp.eu",
    "operator": "admin@demo.escp.eu",
}
HASHED = re.compile(r"\.[0-9a-f]{12}\.[A-Za-z0-9]+$")
# Collects what the page's Content-Security-Policy refused, whatever the console says.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""
MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


class Checks:
    def __init__(self):
        self.failed = []
        self.count = 0

    def __call__(self, ok: bool, what: str, detail: str = "") -> bool:
        self.count += 1
        suffix = f" — {detail}" if detail and not ok else ""
        print(f"  {'ok  ' if ok else 'FAIL'} {what}{suffix}")
        if not ok:
            self.failed.append(what)
        return ok


check = Checks()


class Part:
    """Prints a heading and, at the end, how long the part took."""

    def __init__(self, name):
        self.name = name

    def __enter__(self):
        print(f"\n{self.name}")
        self.started = time.monotonic()

    def __exit__(self, kind, error, tb):
        if error is not None:
            check(False, f"{self.name}: ran to the end", f"{kind.__name__}: {error}")
        print(f"  ({time.monotonic() - self.started:.1f} s)")
        return True  # the next part still runs


# --- plain HTTP checks ----------------------------------------------------------------------


def insecure_context():
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url, *, data=None, headers=None, follow=True):
    """(status, headers, body) without raising for 4xx/5xx."""
    handlers = [urllib.request.HTTPSHandler(context=insecure_context())]
    if not follow:
        handlers.append(NoRedirect())
    opener = urllib.request.build_opener(*handlers)
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with opener.open(request, timeout=20) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()
