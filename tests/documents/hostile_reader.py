"""The quick reader's child (tracker/documents/quick_text.py, run as a script) with two PDFs it cannot survive,
for the tests: b"%crash" kills it as a crash in MuPDF would, b"%hang" never finishes, as a loop in MuPDF would.
Every other PDF is read by the real child's code."""

import importlib.util
import os
import signal
import sys
import time

spec = importlib.util.spec_from_file_location("quick_text_child", sys.argv.pop(1))
child = importlib.util.module_from_spec(spec)
spec.loader.exec_module(child)
real_read = child.read


def read(fitz, data, max_pages, page_chars):
    if data == b"%crash":
        os.kill(os.getpid(), signal.SIGSEGV)
    if data == b"%hang":
        time.sleep(3600)
    return real_read(fitz, data, max_pages, page_chars)


child.read = read
sys.exit(child.main())
