"""The leftover check's bpy-free parts under plain Python: where threads, sockets, listening ports
and processes were made (Origins), whether a port can be bound again, which thread holds a socket."""

import os
import socket
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "python"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # source_files
from blender_bg.paths import Roots  # noqa: E402
from blender_bg.state import LINGERING, Origins, find_in_files, holding_thread, still_bound  # noqa: E402
from source_files import line_of, write  # noqa: E402


class OriginsTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.addon_dir = os.path.join(self.dir, "addon")
        self.tests_dir = os.path.join(self.dir, "tests")
        os.makedirs(self.addon_dir)
        os.makedirs(self.tests_dir)
        self.server_file = write(self.addon_dir, "server.py", """\
            import socket
            import threading

            stop = threading.Event()

            def serve(sock):
                while not stop.is_set():
                    try:
                        sock.accept()[0].close()
                    except OSError:
                        return

            def start():
                sock = socket.socket()
                sock.bind(("127.0.0.1", 0))
                sock.listen(4)
                thread = threading.Thread(target=serve, args=(sock,), name="server")
                thread.start()
                return sock, thread
            """)
        write(self.tests_dir, "helper.py", """\
            import threading

            def start_waiter(event):
                thread = threading.Thread(target=event.wait, name="waiter")
                thread.start()
                return thread
            """)
        sys.path[0:0] = [self.addon_dir, self.tests_dir]
        self.origins = Origins(Roots([self.addon_dir]), Roots([self.tests_dir]))
        self.origins.install()

    def tearDown(self):
        self.origins.uninstall()
        sys.path.remove(self.addon_dir)
        sys.path.remove(self.tests_dir)
        for name in ("server", "helper"):
            sys.modules.pop(name, None)

    def test_the_addon_thread_socket_and_listening_port_are_known_by_the_line_that_made_them(self):
        import server

        sock, thread = server.start()
        try:
            owner, place = self.origins.threads[thread]
            self.assertEqual((owner, place[1]), ("addon", line_of(self.server_file, "thread.start()")))
            self.assertEqual(self.origins.sockets[sock][1], line_of(self.server_file, "sock = socket.socket()"))
            [(ref, family, address, place)] = self.origins.listening
            self.assertIs(ref(), sock)
            self.assertEqual((family, address, place[1]), (socket.AF_INET, sock.getsockname(), line_of(self.server_file, "sock.listen(4)")))
            time.sleep(0.05)  # in accept() by now
            holder, where = holding_thread(sock, Roots([self.addon_dir]))
            self.assertIs(holder, thread)
            self.assertEqual(where[1:], (line_of(self.server_file, "sock.accept()"), "serve"))
            self.assertTrue(still_bound(socket.AF_INET, sock.getsockname()))
        finally:
            server.stop.set()
            sock.shutdown(socket.SHUT_RDWR)  # what wakes a thread blocked in accept() on Linux
            sock.close()
            thread.join(2)
        self.assertFalse(still_bound(socket.AF_INET, address))

    def test_a_thread_the_tests_start_is_the_tests(self):
        import helper

        event = threading.Event()
        thread = helper.start_waiter(event)
        event.set()
        thread.join()
        self.assertEqual(self.origins.threads[thread][0], "tests")

    def test_what_neither_made_is_not_recorded(self):
        sock = socket.socket()
        thread = threading.Thread(target=lambda: None)
        thread.start()
        thread.join()
        sock.close()
        self.assertNotIn(thread, self.origins.threads)
        self.assertEqual(len(self.origins.sockets), 0)

    def test_uninstall_puts_the_originals_back(self):
        self.origins.uninstall()
        self.assertEqual(threading.Thread.start.__qualname__, "Thread.start")
        self.assertEqual(socket.socket.listen, socket._socket.socket.listen)


class SourceSearchTest(unittest.TestCase):
    def test_the_first_matching_line_in_the_roots_python_files(self):
        folder = tempfile.mkdtemp()
        path = write(folder, "props.py", "import bpy\n\ndef register():\n    bpy.types.Scene.level = 1\n")
        import re

        self.assertEqual(find_in_files([folder], re.compile(r"\bScene\s*\.\s*level\s*=")), (os.path.realpath(path), 4, None))
        self.assertIsNone(find_in_files([folder], re.compile("nowhere")))

    def test_lingering_kinds_are_the_ones_given_a_grace(self):
        self.assertEqual(set(LINGERING), {"thread", "port", "socket", "task", "process"})


if __name__ == "__main__":
    unittest.main()
