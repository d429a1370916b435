"""A real HTTP server on 127.0.0.1, in a thread, for tests of schedule downloads.

    with running_server() as server:
        server.routes["/schedule.json"] = (200, {}, data)   # or a function of the handler
        read_source(server.url + "/schedule.json")
        server.requests  # [(path, Host header), …] as they arrived

and running_tcp_server(handler) for a server that does not speak HTTP.
"""

import email.utils
import hashlib
import socketserver
import ssl
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        server = self.server
        server.requests.append((self.path, self.headers.get("Host")))
        route = server.routes.get(self.path, (404, {}, b"not here"))
        status, headers, body = route(self) if callable(route) else route
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@contextmanager
def running_server(tls=None):
    """tls: (certificate file, key file) to serve HTTPS."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    if tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*tls)
        httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    httpd.routes = {}
    httpd.requests = []
    httpd.port = httpd.server_address[1]
    httpd.url = f"{'https' if tls else 'http'}://127.0.0.1:{httpd.port}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


@contextmanager
def running_tcp_server(handler):
    """A TCP server on 127.0.0.1 whose handler answers whatever it likes (not HTTP, say);
    yields its port."""
    tcp = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=tcp.serve_forever, daemon=True)
    thread.start()
    try:
        yield tcp.server_address[1]
    finally:
        tcp.shutdown()
        tcp.server_close()
        thread.join()


class ServedFile:
    """A route serving a file as a real server would: an ETag from its content, Last-Modified
    from its mtime, and 304 Not Modified when If-None-Match names the current ETag. Edit the
    file between requests and the next one gets the new content.

        server.routes["/schedule.xml"] = ServedFile(tmp_path / "schedule.xml")
    """

    def __init__(self, path, content_type="application/xml"):
        self.path = path
        self.content_type = content_type

    def __call__(self, handler):
        body = self.path.read_bytes()
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        headers = {
            "ETag": etag,
            "Last-Modified": email.utils.formatdate(self.path.stat().st_mtime, usegmt=True),
            "Content-Type": self.content_type,
        }
        if handler.headers.get("If-None-Match") == etag:
            return 304, headers, b""
        return 200, {**headers, "Content-Length": str(len(body))}, body
