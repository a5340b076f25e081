"""Security headers on every response: no inline script, no framing, no sniffing, no referrer leaks.

A view that may be framed (the wall-screen board, when an editor allows it) sets
`g.frame_ancestors` to the allowed origins, e.g. "'self' https://screens.example.org".
"""

from __future__ import annotations

from flask import Flask, Response, g

# Inline styles stay allowed (server-drawn SVG charts use style attributes); scripts only from our own files.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors {frame_ancestors}"
)


def add_security_headers(response: Response) -> Response:
    frame_ancestors = g.get("frame_ancestors") or "'none'"
    response.headers.setdefault("Content-Security-Policy", CSP.format(frame_ancestors=frame_ancestors))
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    if frame_ancestors == "'none'":
        response.headers["X-Frame-Options"] = "DENY"
    response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    return response


def init_security_headers(app: Flask) -> None:
    app.after_request(add_security_headers)
