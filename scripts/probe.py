"""Exit 0 when the named local service answers: `python scripts/probe.py postgres|redis`."""

import socket
import sys

PORTS = {"postgres": 5432, "redis": 6379}


def main() -> int:
    port = PORTS[sys.argv[1]]
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
            if sys.argv[1] == "redis":
                sock.sendall(b"PING\r\n")
                return 0 if sock.recv(16).startswith(b"+PONG") else 1
            return 0
    except OSError:
        return 1


if __name__ == "__main__":
    sys.exit(main())
