#!/usr/bin/env python3
"""SIP signalling benchmark: SIPp UAC at rising call rates against channel-voice and, in the same
run, against SIPp's built-in UAS (sipp -sn uas) as the reference. Prints Markdown.

Usage: python3 channel-voice/bench/sip_bench.py [rates...]   (after ./mvnw -pl channel-voice -am package -DskipTests)
Needs: sip-tester (SIPp 3.6). The service runs with media test mode "none" (idle media, no RTP sockets)
for the rate runs, and "echo" (one bound RTP socket per call, no packets) for the concurrency run.
"""
import csv, glob, os, shutil, socket, statistics, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
APP = os.path.join(HERE, "..", "target", "quarkus-app", "quarkus-run.jar")
RATES = [int(r) for r in sys.argv[1:]] or [250, 500, 1000, 2000]
SECONDS = 8


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_udp_port(port, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                return True
        time.sleep(0.2)
    return False


def start_service(port, media, workdir):
    props = {
        "switchboard.voice.sip.port": port,
        "switchboard.voice.sip.bind-host": "127.0.0.1",
        "switchboard.voice.media.test-mode": media,
        "switchboard.voice.calls.max-concurrent": 10000,
        "switchboard.voice.calls.ring-time": "0ms",
        "switchboard.voice.security.invite-rate-per-second": 100000,
        "switchboard.voice.security.invite-burst": 100000,
        "switchboard.voice.rtp.port-min": 30000,
        "switchboard.voice.rtp.port-max": 39999,
        "quarkus.http.port": 0,
        "switchboard.identity.pepper": "bench-only-pepper-0001",
        "quarkus.log.category.\"dev.switchboard.voice.call\".level": "WARN",
    }
    cmd = ["java"] + os.environ.get("BENCH_JAVA_OPTS", "-Xmx512m").split() + [f"-D{k}={v}" for k, v in props.items()] + ["-jar", APP]
    log = open(os.path.join(workdir, f"service-{media}.log"), "w")
    p = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    if not wait_udp_port(port):
        p.kill()
        raise SystemExit("service did not start; see " + log.name)
    time.sleep(1)
    return p


def run_uac(target_port, rate, calls, workdir, extra=()):
    d = tempfile.mkdtemp(dir=workdir)
    cmd = ["sipp", f"127.0.0.1:{target_port}", "-sn", "uac", "-i", "127.0.0.1", "-p", str(free_port()),
           "-mp", str(free_port()), "-r", str(rate), "-rp", "1000", "-m", str(calls), "-l", "100000",
           "-trace_rtt", "-rtt_freq", "1", "-trace_stat", "-fd", "1", "-nostdin", "-timeout", "120",
           "-max_socket", "50000", *extra]
    started = time.time()
    r = subprocess.run(cmd, cwd=d, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.time() - started
    rtts = []
    for f in glob.glob(os.path.join(d, "*_rtt.csv")):
        with open(f) as fh:
            for row in csv.reader(fh, delimiter=";"):
                if len(row) >= 3 and row[2] == "1":
                    try:
                        rtts.append(float(row[1]))
                    except ValueError:
                        pass
    ok = failed = 0
    stats = glob.glob(os.path.join(d, "*_.csv"))
    for f in stats:
        rows = list(csv.reader(open(f), delimiter=";"))
        if len(rows) >= 2:
            head, last = rows[0], rows[-1]
            ok = int(last[head.index("SuccessfulCall(C)")])
            failed = int(last[head.index("FailedCall(C)")])
    return {"exit": r.returncode, "elapsed": elapsed, "ok": ok, "failed": failed, "rtts": sorted(rtts)}


def cpu_seconds(pid):
    """user+system CPU time of a process (and its threads), from /proc."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pct(v, p):
    if not v:
        return float("nan")
    k = max(0, min(len(v) - 1, int(round(p / 100.0 * (len(v) - 1)))))
    return v[k]


def main():
    workdir = tempfile.mkdtemp(prefix="sip-bench-")
    ours = free_port()
    svc = start_service(ours, "none", workdir)
    ref_port = free_port()
    ref = subprocess.Popen(["sipp", "-sn", "uas", "-i", "127.0.0.1", "-p", str(ref_port), "-mp", str(free_port()),
                            "-nostdin", "-max_socket", "50000"], cwd=workdir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1)
    # JIT warm-up, not reported.
    run_uac(ours, 200, int(os.environ.get("BENCH_WARMUP_CALLS", "4000")), workdir)
    print(f"load average before: {os.getloadavg()}")
    print()
    print("| offered rate (calls/s) | target | successful | failed | setups/s | INVITE→200 p50 (ms) | p95 (ms) | CPU per call (ms) |")
    print("|---|---|---|---|---|---|---|---|")
    results = []
    try:
        for rate in RATES:
            calls = rate * SECONDS
            for name, port, pid in (("channel-voice", ours, svc.pid), ("sipp -sn uas", ref_port, ref.pid)):
                cpu0 = cpu_seconds(pid)
                r = run_uac(port, rate, calls, workdir)
                cpu = (cpu_seconds(pid) - cpu0) * 1000 / max(1, r["ok"])
                # Setups per second: successful calls over the time the run took (includes BYE).
                sps = r["ok"] / r["elapsed"] if r["elapsed"] else 0
                results.append((rate, name, r, sps))
                print(f"| {rate} | {name} | {r['ok']} | {r['failed']} | {sps:.0f} | {pct(r['rtts'],50):.2f} | {pct(r['rtts'],95):.2f} | {cpu:.3f} |", flush=True)
    finally:
        ref.terminate()
        ref.wait(10)
        svc.terminate()
        svc.wait(60)
    # Concurrency: calls held for 20 s with an RTP socket bound per call and no packets.
    ours2 = free_port()
    svc = start_service(ours2, "echo", workdir)
    try:
        hold_rate, hold_ms, total = 200, 20000, 3000
        r = run_uac(ours2, hold_rate, total, workdir, extra=("-d", str(hold_ms)))
        peak = min(total, hold_rate * hold_ms // 1000)
        print()
        print(f"concurrency run: {total} calls at {hold_rate}/s each held {hold_ms/1000:.0f} s "
              f"(peak ≈ {peak} concurrent dialogs): successful {r['ok']}, failed {r['failed']}, "
              f"INVITE→200 p50 {pct(r['rtts'],50):.2f} ms, p95 {pct(r['rtts'],95):.2f} ms")
    finally:
        svc.terminate()
        svc.wait(60)
    print(f"load average after: {os.getloadavg()}")
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
