"""The demo hub's shared password: shown on the sign-in page only when SAFEHUB_DEMO=true."""

DEMO_PASSWORD = "safehub-demo-2026"  # noqa: S105 - synthetic demo accounts only, never production
DEMO_USERNAME_PREFIX = "demo."
