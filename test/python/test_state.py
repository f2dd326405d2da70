"""The leftover check's bpy-free parts under plain Python: where threads, sockets, listening ports
and processes were made (Origins), whether a port can be bound again, which thread holds a socket."""

import asyncio
import os
import socket
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "python"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # source_files
from blender_bg.health.origins import Origins, holding_thread, still_bound  # noqa: E402
from blender_bg.paths import Roots, find_in_files  # noqa: E402
from blender_bg.health.state import BlenderState  # noqa: E402
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


class RuntimeLeftoversTest(unittest.TestCase):
    """The comparison of what runs (threads, ports, sockets, tasks, processes) after the
    add-on's "unregister()", against a snapshot taken before it started them."""

    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.addon_file = write(self.dir, "service.py", """\
            import asyncio
            import socket
            import subprocess
            import threading

            state = {}

            def serve(sock):
                while True:
                    try:
                        sock.accept()[0].close()
                    except OSError:
                        return

            async def forever():
                await asyncio.sleep(3600)

            def register(loop):
                sock = socket.socket()
                sock.bind(("127.0.0.1", 0))
                sock.listen(4)
                state["sock"] = sock
                state["thread"] = threading.Thread(target=serve, args=(sock,), name="service", daemon=True)
                state["thread"].start()
                state["udp"] = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                state["task"] = loop.create_task(forever())
                state["child"] = subprocess.Popen(["sleep", "30"])

            def unregister(clean):
                if clean:
                    state["sock"].shutdown(socket.SHUT_RDWR)
                    state["thread"].join(2)
                    state["udp"].close()
                    state["task"].cancel()
                    state["child"].kill()
                    state["child"].wait()
                state["sock"].close()  # on Linux, alone, this leaves accept() blocked and the port bound
            """)
        sys.path.insert(0, self.dir)
        import service

        self.service = service
        self.loop = asyncio.new_event_loop()
        self.state = BlenderState([self.dir], loop=self.loop)
        self.state.origins.install()
        self.state.before = self.state.runtime_now()

    def tearDown(self):
        self.state.origins.uninstall()
        sys.path.remove(self.dir)
        sys.modules.pop("service", None)
        self.loop.close()

    def test_what_a_sloppy_unregister_leaves_is_named_with_the_lines_that_made_it(self):
        self.service.register(self.loop)
        address = self.service.state["sock"].getsockname()
        try:
            self.service.unregister(clean=False)
            found = {item["kind"]: item for item in self.state.compare_runtime()}
            self.assertEqual(sorted(found), ["port", "process", "socket", "task", "thread"])
            self.assertEqual((found["port"]["name"], found["port"]["line"]), ("port 127.0.0.1:%d" % address[1], line_of(self.addon_file, "sock.listen(4)")))
            self.assertEqual((found["port"]["holder"]["name"], found["port"]["holder"]["line"]), ("thread 'service'", line_of(self.addon_file, "sock.accept()")))
            self.assertEqual((found["thread"]["name"], found["thread"]["function"]), ("thread 'service' (daemon)", "serve"))
            self.assertEqual(found["socket"]["line"], line_of(self.addon_file, "SOCK_DGRAM"))
            self.assertEqual((found["task"]["name"], found["task"]["detail"]), ("asyncio task forever", "still pending"))
            self.assertEqual(found["process"]["line"], line_of(self.addon_file, "subprocess.Popen"))
        finally:  # what the sloppy unregister() did not do; a connection wakes the stuck accept()
            state = self.service.state
            state["child"].kill()
            state["child"].wait()
            state["udp"].close()
            state["task"].cancel()
            self.loop.run_until_complete(asyncio.sleep(0.01))
            socket.create_connection(address).close()
            state["thread"].join(2)

    def test_a_clean_unregister_leaves_nothing(self):
        self.service.register(self.loop)
        self.service.unregister(clean=True)
        self.loop.run_until_complete(asyncio.sleep(0.01))  # the cancelled task finishes on its loop
        self.assertEqual(self.state.compare_runtime(), [])


if __name__ == "__main__":
    unittest.main()
