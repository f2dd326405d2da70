"""Blender's own memory and CPU time, as the run reports them (the add-on's leak signal).

    {"rssBytes": resident now, "peakRssBytes": the most it has been resident, "cpuSeconds": user + system}

Linux reads /proc/self/status; macOS asks ps for the resident size (getrusage gives the peak);
Windows asks the process's memory counters. What a platform cannot tell is null.
"""

import os
import sys


def usage():
    rss, peak = resident()
    times = os.times()
    return {"rssBytes": rss, "peakRssBytes": peak, "cpuSeconds": round(times.user + times.system, 3)}


def resident():
    """(resident bytes now, peak resident bytes)."""
    try:
        if sys.platform.startswith("linux"):
            return linux_status()
        if sys.platform == "darwin":
            return macos_resident()
        if os.name == "nt":
            return windows_counters()
    except Exception:  # a figure for a report is never worth the session
        pass
    return None, None


def linux_status():
    fields = {}
    with open("/proc/self/status", encoding="ascii", errors="replace") as handle:
        for line in handle:
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                fields[name] = int(value.split()[0]) * 1024  # kB
    return fields.get("VmRSS"), fields.get("VmHWM")


def macos_resident():
    import resource
    import subprocess

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # bytes on macOS
    text = subprocess.run(["ps", "-o", "rss=", "-p", str(os.getpid())], capture_output=True, text=True, timeout=5).stdout
    return int(text.strip()) * 1024, peak


def windows_counters():
    import ctypes
    from ctypes import wintypes

    class Counters(ctypes.Structure):
        _fields_ = [("cb", wintypes.DWORD), ("PageFaultCount", wintypes.DWORD),
                    ("PeakWorkingSetSize", ctypes.c_size_t), ("WorkingSetSize", ctypes.c_size_t),
                    ("QuotaPeakPagedPoolUsage", ctypes.c_size_t), ("QuotaPagedPoolUsage", ctypes.c_size_t),
                    ("QuotaPeakNonPagedPoolUsage", ctypes.c_size_t), ("QuotaNonPagedPoolUsage", ctypes.c_size_t),
                    ("PagefileUsage", ctypes.c_size_t), ("PeakPagefileUsage", ctypes.c_size_t)]

    counters = Counters()
    counters.cb = ctypes.sizeof(Counters)
    process = ctypes.windll.kernel32.GetCurrentProcess()
    if not ctypes.windll.psapi.GetProcessMemoryInfo(process, ctypes.byref(counters), counters.cb):
        return None, None
    return counters.WorkingSetSize, counters.PeakWorkingSetSize
