#!/usr/bin/env python3
"""A minimal SMTP server for the tests, on 127.0.0.1 only: each message it accepts is written as
NNN.eml (with the envelope's sender and recipients on top) in DIR. Stops after SECONDS.

  smtp_sink.py PORT DIR SECONDS
"""
import asyncore
import os
import smtpd
import sys
import threading
import time

port, out_dir, seconds = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
count = [0]


class Sink(smtpd.SMTPServer):
    def process_message(self, peer, mailfrom, rcpttos, data, **kwargs):
        count[0] += 1
        text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
        path = os.path.join(out_dir, "%03d.eml" % count[0])
        with open(path + ".tmp", "w") as f:
            f.write("X-Envelope-From: %s\nX-Envelope-To: %s\n%s" % (mailfrom, ",".join(rcpttos), text))
        os.rename(path + ".tmp", path)


Sink(("127.0.0.1", port), None, decode_data=False)
threading.Timer(seconds, lambda: os._exit(0)).start()
open(os.path.join(out_dir, "ready"), "w").close()
asyncore.loop(timeout=0.2)
