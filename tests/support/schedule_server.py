"""A real HTTP server on 127.0.0.1, in a thread, for tests of schedule downloads.

    with running_server() as server:
        server.routes["/schedule.json"] = (200, {}, data)   # or a function of the handler
        read_source(server.url + "/schedule.json")
        server.requests  # [(path, Host header), …] as they arrived

and running_tcp_server(handler) for a server that does not speak HTTP.
"""

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
