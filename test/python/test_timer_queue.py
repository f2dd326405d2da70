"""TimerQueue semantics, under plain Python (no Blender needed: the queue uses no bpy)."""

import os
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "python"))
from blender_bg.driver.timers import TimerQueue  # noqa: E402

FLOOR = 0.005


class TimerQueueTest(unittest.TestCase):
    def setUp(self):
        self.wakes = 0
        self.queue = TimerQueue(FLOOR, wake=self.count_wake)

    def count_wake(self):
        self.wakes += 1

    def run_for(self, seconds):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.queue.run_due()
            time.sleep(0.0005)

    def test_first_interval_zero_runs_at_once_and_none_stops(self):
        calls = []
        self.queue.register(lambda: calls.append(1))
        self.queue.run_due()
        self.assertEqual(calls, [1])
        self.run_for(0.02)
        self.assertEqual(calls, [1])

    def test_a_returned_interval_repeats_and_is_held_to_the_floor(self):
        calls = []

        def again_at_once():
            calls.append(time.monotonic())
            return 0.0  # kick_async_loop returns False, which is 0.0

        self.queue.register(again_at_once)
        self.run_for(0.1)
        gaps = [b - a for a, b in zip(calls, calls[1:])]
        self.assertGreater(len(calls), 5)
        self.assertLess(len(calls), 0.1 / FLOOR + 2)  # never spins
        self.assertGreaterEqual(min(gaps), FLOOR * 0.9)

    def test_first_interval_delays_the_first_run(self):
        calls = []
        self.queue.register(lambda: calls.append(1), first_interval=0.05)
        self.run_for(0.03)
        self.assertEqual(calls, [])
        self.run_for(0.05)
        self.assertEqual(calls, [1])

    def test_unregister_and_is_registered(self):
        def timer():
            return 1.0

        self.queue.register(timer, first_interval=10, persistent=True)
        self.assertTrue(self.queue.is_registered(timer))
        self.queue.unregister(timer)
        self.assertFalse(self.queue.is_registered(timer))
        self.assertIsNone(self.queue.next_due())
        with self.assertRaises(ValueError):
            self.queue.unregister(timer)

    def test_a_timer_that_raises_is_unregistered_like_blender_does(self):
        def broken():
            raise RuntimeError("boom")

        self.queue.register(broken)
        stderr, sys.stderr = sys.stderr, open(os.devnull, "w")
        try:
            self.queue.run_due()
        finally:
            sys.stderr.close()
            sys.stderr = stderr
        self.assertFalse(self.queue.is_registered(broken))

    def test_a_timer_may_unregister_itself_or_another_due_one(self):
        calls = []

        def second():
            calls.append("second")

        def first():
            calls.append("first")
            self.queue.unregister(second)
            return 0.01

        self.queue.register(first)
        self.queue.register(second)
        self.queue.run_due()
        self.assertEqual(calls, ["first"])

    def test_register_from_another_thread_wakes_the_loop(self):
        calls = []
        thread = threading.Thread(target=lambda: self.queue.register(lambda: calls.append(threading.current_thread().name)))
        thread.start()
        thread.join()
        self.assertEqual(self.wakes, 1)
        self.queue.run_due()
        self.assertEqual(calls, ["MainThread"])

    def test_a_file_load_drops_the_timers_not_registered_persistent(self):
        calls = []

        def plain():
            calls.append("plain")

        def kept():
            calls.append("kept")

        self.queue.register(plain, first_interval=0.01)
        self.queue.register(kept, first_interval=0.01, persistent=True)
        self.queue.forget_non_persistent()
        self.assertFalse(self.queue.is_registered(plain))
        self.assertTrue(self.queue.is_registered(kept))
        self.run_for(0.03)
        self.assertEqual(calls, ["kept"])

    def test_a_load_that_keeps_named_timers_keeps_them_and_drops_the_rest(self):
        def addon_tick():
            return None

        def test_tick():
            return None

        self.queue.register(addon_tick, first_interval=0.01)
        self.queue.register(test_tick, first_interval=0.01)
        self.queue.forget_non_persistent(keep=lambda function: function is addon_tick)
        self.assertTrue(self.queue.is_registered(addon_tick))
        self.assertFalse(self.queue.is_registered(test_tick))

    def test_rejects_what_is_not_callable(self):
        with self.assertRaises(TypeError):
            self.queue.register(42)


if __name__ == "__main__":
    unittest.main()
