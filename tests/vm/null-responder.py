#!/usr/bin/env python3
"""A stand-in for an SPDM responder that only accepts connections.

QEMU's NVMe device with spdm_port= connects at start and refuses to start when
nothing listens; DOE discovery is answered by QEMU itself. This listener lets
the VM boot when no real responder is available. Anything received is read
and dropped, so SPDM requests over the mailbox go unanswered.
"""
import argparse
import selectors
import signal
import socket
import sys


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, required=True)
    # Options meant for a real responder are accepted and ignored.
    args, _ = ap.parse_known_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))

    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", args.port))
    srv.listen(8)
    print(f"null-responder: listening on 127.0.0.1:{args.port} (accepts only)", flush=True)

    sel = selectors.DefaultSelector()
    sel.register(srv, selectors.EVENT_READ)
    while True:
        for key, _ in sel.select():
            if key.fileobj is srv:
                conn, peer = srv.accept()
                print(f"null-responder: connection from {peer[0]}:{peer[1]}", flush=True)
                sel.register(conn, selectors.EVENT_READ)
            elif not key.fileobj.recv(65536):
                print("null-responder: connection closed", flush=True)
                sel.unregister(key.fileobj)
                key.fileobj.close()


if __name__ == "__main__":
    main()
