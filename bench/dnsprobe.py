#!/usr/bin/env python3
"""Small DNS probes for the bench scripts, standard library only, loopback only.

  dnsprobe.py wait-serial PORT ZONE SERIAL TIMEOUT_S [SINCE_NS]
      Asks 127.0.0.1:PORT for ZONE's SOA over UDP every 5 ms until the answer carries SERIAL
      (or, with SERIAL -1, any SOA). Prints the milliseconds from SINCE_NS (a CLOCK_REALTIME
      nanosecond timestamp, `date +%s%N`; default: the probe's own start) to that answer.
      Exit status 1 on timeout.
  dnsprobe.py axfr PORT ZONE TIMEOUT_S
      Receives ZONE by AXFR over TCP from 127.0.0.1:PORT without decoding records: reads the
      length-prefixed messages, sums their ANCOUNT, stops at the message that carries the second
      SOA (the last record of the transfer: checked by type). Prints "MS MESSAGES RECORDS RCODE",
      MS from connect to the last byte. Measures the server's sending rather than a client's
      record parsing (kdig's +stats time includes that).
  dnsprobe.py notify PORT ZONE
      Sends one NOTIFY (RFC 1996, opcode 4, question ZONE SOA) to 127.0.0.1:PORT and waits up
      to 2 s for its acknowledgement; prints the response code. Prints the send time in ns
      (CLOCK_REALTIME) on a second line.
  dnsprobe.py notify-wait PORT ZONE SERIAL TIMEOUT_S
      notify, then wait-serial at the same port, in one process: prints the milliseconds from
      sending the NOTIFY to the first SOA answer carrying SERIAL (asked every millisecond for
      the first 100 ms, then every 5 ms), or
      "timeout". The two commands above add a process start (tens of milliseconds) to the time.
"""
import random
import socket
import struct
import sys
import time


def wire_name(zone):
    out = b""
    for label in zone.rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def query(zone, qtype, opcode=0, rd=False):
    qid = random.randrange(65536)
    flags = (opcode << 11) | (0x0100 if rd else 0) | (0x0400 if opcode == 4 else 0)
    return qid, struct.pack(">HHHHHH", qid, flags, 1, 0, 0, 0) + wire_name(zone) + struct.pack(">HH", qtype, 1)


def skip_name(msg, i):
    while True:
        n = msg[i]
        if n == 0:
            return i + 1
        if n & 0xC0 == 0xC0:
            return i + 2
        i += n + 1


def soa_serial(msg):
    """The serial of the first SOA in the answer section, or None."""
    qd, an = struct.unpack(">HH", msg[4:8])
    i = 12
    for _ in range(qd):
        i = skip_name(msg, i) + 4
    for _ in range(an):
        i = skip_name(msg, i)
        rtype, _, _, rdlen = struct.unpack(">HHIH", msg[i:i + 10])
        i += 10
        if rtype == 6:
            j = skip_name(msg, i)
            j = skip_name(msg, j)
            return struct.unpack(">I", msg[j:j + 4])[0]
        i += rdlen
    return None


def wait_serial(port, zone, serial, timeout, since, every=0.005, until_slower=0.0):
    """every: seconds between questions; for the first until_slower seconds, every millisecond."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(every)
    started = time.monotonic()
    deadline = started + timeout
    while time.monotonic() < deadline:
        qid, q = query(zone, 6)
        try:
            s.sendto(q, ("127.0.0.1", port))
            while True:
                msg, _ = s.recvfrom(65535)
                if struct.unpack(">H", msg[:2])[0] == qid:
                    break
            got = soa_serial(msg)
            if got is not None and (serial < 0 or got == serial):
                print("%.1f" % ((time.time_ns() - since) / 1e6))
                return 0
        except (socket.timeout, ConnectionRefusedError, OSError):
            pass
        time.sleep(0.001 if time.monotonic() - started < until_slower else every)
    print("timeout")
    return 1


def last_record_type(msg, ancount):
    qd = struct.unpack(">H", msg[4:6])[0]
    i = 12
    for _ in range(qd):
        i = skip_name(msg, i) + 4
    rtype = None
    for _ in range(ancount):
        i = skip_name(msg, i)
        rtype, _, _, rdlen = struct.unpack(">HHIH", msg[i:i + 10])
        i += 10 + rdlen
    return rtype


def axfr(port, zone, timeout):
    qid, q = query(zone, 252)
    t0 = time.monotonic()
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s.sendall(struct.pack(">H", len(q)) + q)
    f = s.makefile("rb", buffering=1 << 20)
    messages = records = soas = 0
    rcode = 0
    while True:
        head = f.read(2)
        if len(head) < 2:
            break
        msg = f.read(struct.unpack(">H", head)[0])
        messages += 1
        rcode = msg[3] & 0x0F
        an = struct.unpack(">H", msg[6:8])[0]
        records += an
        if rcode != 0 or an == 0:
            break
        # the first message starts with the SOA; the transfer ends with a message whose last
        # record is the SOA again (only the last record needs decoding)
        if messages == 1 and an == 1:
            soas = 1
            continue
        if last_record_type(msg, an) == 6 and (messages > 1 or an > 1):
            break
    ms = (time.monotonic() - t0) * 1000
    s.close()
    print("%.1f %d %d %d" % (ms, messages, records, rcode))
    return 0


def notify_wait(port, zone, serial, timeout):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(2)
    qid, q = query(zone, 6, opcode=4)
    sent = time.time_ns()
    s.sendto(q, ("127.0.0.1", port))
    s.close()
    # Every millisecond for 100 ms (a change served in milliseconds is timed to the millisecond),
    # then every 5 ms as wait-serial: a thousand questions a second would cost the secondary a
    # quarter of its only core while it takes a big zone in.
    return wait_serial(port, zone, serial, timeout, sent, every=0.005, until_slower=0.1)


def notify(port, zone):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(2)
    qid, q = query(zone, 6, opcode=4)
    sent = time.time_ns()
    s.sendto(q, ("127.0.0.1", port))
    try:
        while True:
            msg, _ = s.recvfrom(65535)
            if struct.unpack(">H", msg[:2])[0] == qid:
                break
        rcode = msg[3] & 0x0F
        print({0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 4: "NOTIMP", 5: "REFUSED", 9: "NOTAUTH"}.get(rcode, str(rcode)))
    except socket.timeout:
        print("no-answer")
    print(sent)
    return 0


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "wait-serial":
        since = int(sys.argv[6]) if len(sys.argv) > 6 else time.time_ns()
        sys.exit(wait_serial(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), float(sys.argv[5]), since))
    elif cmd == "axfr":
        sys.exit(axfr(int(sys.argv[2]), sys.argv[3], float(sys.argv[4])))
    elif cmd == "notify-wait":
        sys.exit(notify_wait(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), float(sys.argv[5])))
    elif cmd == "notify":
        sys.exit(notify(int(sys.argv[2]), sys.argv[3]))
    sys.exit(__doc__)
