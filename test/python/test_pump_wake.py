"""PumpWake under plain Python: the wait hook, its bound, and its removal (no Blender needed)."""

import asyncio
import os
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "python"))
from blender_bg.driver.pump import Pump, PumpWake  # noqa: E402


class PumpWakeTest(unittest.TestCase):
    def setUp(self):
        self.loop = asyncio.new_event_loop()
        self.steps = []
        self.pump = Pump(lambda: self.steps.append(time.monotonic()), 10.0, "test:step")
        self.pump.run_if_due()  # the first pass: from now on the next is 10 s away
        self.wakes = 0
        self.wake = PumpWake(self.loop, self.pump, self.count_wake)
        self.original = threading.Condition.wait

    def tearDown(self):
        self.wake.uninstall()
        self.loop.close()

    def count_wake(self):
        self.wakes += 1
        self.loop.stop()

    def run_loop_once(self, timeout=1.0):
        self.loop.call_later(timeout, self.loop.stop)
        self.loop.run_forever()

    def test_a_thread_that_starts_waiting_makes_the_pump_due_now(self):
        self.wake.install()
        done = threading.Event()
        threading.Thread(target=lambda: done.wait(0.2)).start()
        self.run_loop_once()
        self.assertEqual(self.wakes, 1)
        self.pump.run_if_due()
        self.assertEqual(len(self.steps), 2)  # ran at once, not 10 s later

    def test_the_main_thread_waiting_wakes_nothing(self):
        self.wake.install()
        threading.Event().wait(0.01)
        self.assertFalse(self.wake._pending)

    def test_a_tight_waiting_loop_is_coalesced_and_rate_bounded(self):
        self.wake.install()
        stop = threading.Event()

        def tight():
            deadline = time.monotonic() + 0.3
            while time.monotonic() < deadline:
                stop.wait(0.0001)

        thread = threading.Thread(target=tight)
        thread.start()
        started = time.monotonic()
        while thread.is_alive():
            self.run_loop_once(0.05)
        elapsed = time.monotonic() - started
        # At most one wake per MIN_GAP, however often the thread waits.
        self.assertLessEqual(self.wakes, elapsed / PumpWake.MIN_GAP + 2)
        self.assertGreater(self.wakes, 0)

    def test_uninstall_restores_the_original_wait(self):
        self.wake.install()
        self.assertIsNot(threading.Condition.wait, self.original)
        self.wake.uninstall()
        self.assertIs(threading.Condition.wait, self.original)


if __name__ == "__main__":
    unittest.main()
