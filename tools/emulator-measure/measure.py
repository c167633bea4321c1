#!/usr/bin/env python3
"""DynamoDB from moto_server vs DynamoDB Local, as the worker uses it: start time (spawn until ListTables answers) and
BatchWriteItem throughput with worker-sized items (~1 KB, 25 a batch, 4 calls in flight like WRITE_CONCURRENCY's
default), plus the p99 latency of one 25-item batch while writing at the simulator's default 50 posts/s.
Usage: measure.py [--dynamodb-local-dir DIR] [--runs N]. Runs the two alternately; loopback only; prints a Markdown table."""
import argparse, os, socket, statistics, subprocess, sys, time, uuid
from concurrent.futures import ThreadPoolExecutor
import boto3

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

def client(port):
    return boto3.client("dynamodb", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                        aws_access_key_id="test", aws_secret_access_key="test")

def start(kind, port, ddb_dir):
    if kind == "moto":
        cmd = ["moto_server", "-H", "127.0.0.1", "-p", str(port)]
        cwd = None
    else:
        cmd = ["java", f"-Djava.library.path={ddb_dir}/DynamoDBLocal_lib", "-jar", f"{ddb_dir}/DynamoDBLocal.jar",
               "-inMemory", "-sharedDb", "-port", str(port), "-disableTelemetry"]
        cwd = ddb_dir
    began = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    c = client(port)
    while True:
        try:
            c.list_tables(Limit=1)
            return proc, c, time.monotonic() - began
        except Exception:
            if proc.poll() is not None:
                sys.exit(f"{kind} exited with {proc.returncode}")
            time.sleep(0.05)

def item(i):
    return {"PutRequest": {"Item": {
        "user_id": {"S": f"user-{i % 5000}"}, "created_at": {"S": f"2026-12-01T00:00:{i:09d}Z#{uuid.uuid4()}"},
        "text": {"S": "x" * 600}, "lang": {"S": "en"}, "author": {"S": "someone"},
        "entities": {"S": "{" + "\"h\":1," * 40 + "}"}}}}

def batches(n_batches, offset):
    return [[item(offset + b * 25 + k) for k in range(25)] for b in range(n_batches)]

def write(c, table, batch):
    pending = {table: batch}
    while pending:
        pending = c.batch_write_item(RequestItems=pending).get("UnprocessedItems") or None

def measure(kind, ddb_dir):
    port = free_port()
    proc, c, started = start(kind, port, ddb_dir)
    try:
        table = "posts"
        c.create_table(TableName=table, BillingMode="PAY_PER_REQUEST",
                       AttributeDefinitions=[{"AttributeName": "user_id", "AttributeType": "S"},
                                             {"AttributeName": "created_at", "AttributeType": "S"}],
                       KeySchema=[{"AttributeName": "user_id", "KeyType": "HASH"},
                                  {"AttributeName": "created_at", "KeyType": "RANGE"}])
        write(c, table, batches(4, 10_000_000)[0])  # warm-up
        work = batches(400, 0)  # 10,000 items
        clients = [client(port) for _ in range(4)]
        began = time.monotonic()
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(lambda ib: write(clients[ib[0] % 4], table, ib[1]), enumerate(work)))
        throughput = len(work) * 25 / (time.monotonic() - began)
        # At the simulator's default rate (50 posts/s) the worker writes about two 25-item batches a second.
        latencies = []
        for b in batches(40, 20_000_000):
            t = time.monotonic(); write(c, table, b); latencies.append(time.monotonic() - t)
            time.sleep(max(0, 0.5 - (time.monotonic() - t)))
        count = c.describe_table(TableName=table)["Table"].get("ItemCount")
        return started, throughput, statistics.quantiles(latencies, n=100)[98] * 1000, count
    finally:
        proc.terminate(); proc.wait()

def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dynamodb-local-dir", default=os.path.expanduser("~/.cache/twitterstream/dynamodb-local-1.25.1"))
    p.add_argument("--runs", type=int, default=3)
    a = p.parse_args()
    # Interleaved, so that both emulators meet the same background load on a shared machine.
    kinds = ("moto", "dynamodb-local")
    runs = {kind: [] for kind in kinds}
    for _ in range(a.runs):
        for kind in kinds:
            runs[kind].append(measure(kind, a.dynamodb_local_dir))
    print(f"| emulator ({a.runs} runs, median (min-max)) | start, s | BatchWriteItem items/s, 4 in flight | p99 of one 25-item batch at 50 posts/s, ms |")
    print("|---|---|---|---|")
    for kind in kinds:
        cells = [f"{statistics.median(v):{f}} ({min(v):{f}}-{max(v):{f}})"
                 for v, f in ((r, fmt) for r, fmt in zip(zip(*[x[:3] for x in runs[kind]]), (".2f", ",.0f", ".0f")))]
        print(f"| {kind} | " + " | ".join(cells) + " |", flush=True)

if __name__ == "__main__":
    main()
