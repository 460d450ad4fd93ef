package org.tcpworkbook.kit.load;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A load generator for line echo servers, on loopback only, bounded in connections and time:
 * opens N connections, each sends a line of S bytes and waits for its echo before the next one
 * (closed loop), or, with a rate, the whole run sends at most that many lines a second. Reports
 * throughput, p50 and p99 latency (HdrHistogram), and the server's resident memory and threads
 * (read from /proc/PID/status when given the server's process id). One line of {@code key=value}
 * pairs at the end, for scripts.
 *
 * <pre>
 * java -cp ... org.tcpworkbook.kit.load.LoadGenerator --port 8007 --connections 1000 --size 64
 *      --seconds 10 [--warmup 2] [--rate 0] [--threads 2] [--pid 12345] [--label selector]
 * </pre>
 */
public final class LoadGenerator {
    /** How long all the connects may take together, in seconds. */
    static final int CONNECT_BUDGET_SECONDS = 30;

    /** At most this many connections: the machines allow 20,000 open files per process. */
    static final int MAX_CONNECTIONS = 15_000;
    static final int MAX_SECONDS = 120;

    private final int port;
    private final int connections;
    private final int size;
    private final int seconds;
    private final int warmup;
    private final long rate;
    private final int threads;
    private final long pid;
    private final String label;
    private final Recorder latency = new Recorder(TimeUnit.SECONDS.toNanos(60), 3);
    private final AtomicLong echoes = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private volatile boolean measuring;
    private volatile boolean stopping;

    LoadGenerator(int port, int connections, int size, int seconds, int warmup, long rate, int threads, long pid, String label) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--port must be 1-65535, not " + port);
        }
        if (connections < 1 || connections > MAX_CONNECTIONS) {
            throw new IllegalArgumentException("--connections must be 1-" + MAX_CONNECTIONS + ", not " + connections);
        }
        if (size < 1 || size > 4096) {
            throw new IllegalArgumentException("--size (bytes of a line, without \\n) must be 1-4096, not " + size);
        }
        if (seconds < 1 || seconds > MAX_SECONDS || warmup < 0 || warmup > MAX_SECONDS) {
            throw new IllegalArgumentException("--seconds must be 1-" + MAX_SECONDS + " and --warmup 0-" + MAX_SECONDS);
        }
        if (rate < 0 || threads < 1 || threads > 16) {
            throw new IllegalArgumentException("--rate must be 0 (closed loop) or more, --threads 1-16");
        }
        this.port = port;
        this.connections = connections;
        this.size = size;
        this.seconds = seconds;
        this.warmup = warmup;
        this.rate = rate;
        this.threads = threads;
        this.pid = pid;
        this.label = label;
    }

    public static void main(String[] args) throws Exception {
        java.util.Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 == args.length) {
                System.err.println("usage: LoadGenerator --port P --connections N --size S --seconds T [--warmup W]"
                        + " [--rate LINES_PER_S] [--threads K] [--pid SERVER_PID] [--label NAME]; not: " + args[i]);
                System.exit(2);
            }
            options.put(args[i].substring(2), args[++i]);
        }
        LoadGenerator load;
        try {
            load = new LoadGenerator(Integer.parseInt(options.getOrDefault("port", "0")),
                    Integer.parseInt(options.getOrDefault("connections", "100")),
                    Integer.parseInt(options.getOrDefault("size", "64")),
                    Integer.parseInt(options.getOrDefault("seconds", "10")),
                    Integer.parseInt(options.getOrDefault("warmup", "2")),
                    Long.parseLong(options.getOrDefault("rate", "0")),
                    Integer.parseInt(options.getOrDefault("threads", "2")),
                    Long.parseLong(options.getOrDefault("pid", "0")),
                    options.getOrDefault("label", "server"));
        } catch (IllegalArgumentException e) {
            System.err.println("LoadGenerator: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.out.println(load.run());
    }

    /** One connection's state, owned by one selector thread. */
    private static final class Conn {
        final SocketChannel channel;
        final ByteBuffer in = ByteBuffer.allocate(8192);
        ByteBuffer out;
        SelectionKey key;
        long sentAt;
        boolean waiting;

        Conn(SocketChannel channel) {
            this.channel = channel;
        }
    }

    String run() throws Exception {
        byte[] line = new byte[size + 1];
        for (int i = 0; i < size; i++) {
            line[i] = (byte) ('a' + i % 26);
        }
        line[size] = '\n';
        InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        List<Selector> selectors = new ArrayList<>();
        List<List<Conn>> groups = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            selectors.add(Selector.open());
            groups.add(new ArrayList<>());
        }
        long connectStart = System.nanoTime();
        // The whole connect phase is bounded too: a server that accepts slowly (its backlog full)
        // would otherwise cost up to 5 s per connection. Past the budget, the rest count as refused.
        long connectDeadline = connectStart + TimeUnit.SECONDS.toNanos(CONNECT_BUDGET_SECONDS);
        int refused = 0;
        for (int i = 0; i < connections; i++) {
            long left = TimeUnit.NANOSECONDS.toMillis(connectDeadline - System.nanoTime());
            if (left <= 0) {
                refused += connections - i;
                break;
            }
            SocketChannel channel = SocketChannel.open();
            try {
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.socket().connect(target, (int) Math.min(5000, left)); // blocking, bounded: 5 s, and the budget
                channel.configureBlocking(false);
                Conn c = new Conn(channel);
                groups.get(i % threads).add(c);
                c.key = channel.register(selectors.get(i % threads), 0, c);
            } catch (IOException e) {
                channel.close();
                refused++;
            }
        }
        double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
        long perThreadRate = rate == 0 ? 0 : Math.max(1, rate / threads);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Selector selector = selectors.get(t);
            List<Conn> group = groups.get(t);
            Thread worker = new Thread(() -> drive(selector, group, line, perThreadRate), "load-" + t);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
        long peakRss = 0;
        long peakThreads = 0;
        for (int s = 0; s < warmup; s++) {
            Thread.sleep(1000);
        }
        latency.reset();
        long echoesBefore = echoes.get();
        long start = System.nanoTime();
        measuring = true;
        for (int s = 0; s < seconds; s++) {
            Thread.sleep(1000);                             // the run's length: the workers do the work
            long[] status = serverStatus();
            peakRss = Math.max(peakRss, status[0]);
            peakThreads = Math.max(peakThreads, status[1]);
        }
        measuring = false;
        double elapsed = (System.nanoTime() - start) / 1e9;
        long done = echoes.get() - echoesBefore;
        Histogram h = latency.getIntervalHistogram();
        stopping = true;
        for (Selector selector : selectors) {
            selector.wakeup();
        }
        for (Thread worker : workers) {
            worker.join(5000);
        }
        int open = 0;
        for (List<Conn> group : groups) {
            for (Conn c : group) {
                if (c.channel.isOpen()) {
                    open++;
                }
                c.channel.close();
            }
        }
        for (Selector selector : selectors) {
            selector.close();
        }
        double throughput = done / elapsed;
        return String.format(Locale.ROOT, "RESULT label=%s connections=%d connected=%d open_at_end=%d size=%d rate=%d"
                        + " seconds=%.1f echoes=%d throughput=%.0f mb_s=%.2f p50_us=%d p99_us=%d max_us=%d failures=%d"
                        + " connect_s=%.2f server_rss_mb=%.1f server_threads=%d",
                label, connections, connections - refused, open, size, rate, elapsed, done, throughput,
                throughput * (size + 1) * 2 / 1e6, h.getValueAtPercentile(50) / 1000, h.getValueAtPercentile(99) / 1000,
                h.getMaxValue() / 1000, failures.get(), connectSeconds, peakRss / 1024.0, peakThreads);
    }

    /** One selector thread: closed loop (a line, wait for its echo, the next), or at most {@code rate} lines a second. */
    private void drive(Selector selector, List<Conn> group, byte[] line, long perThreadRate) {
        Recorder recorder = latency;
        long nanosPerLine = perThreadRate == 0 ? 0 : TimeUnit.SECONDS.toNanos(1) / perThreadRate;
        long nextSend = System.nanoTime();
        int cursor = 0;
        try {
            if (perThreadRate == 0) {
                for (Conn c : group) {
                    send(c, line);
                }
            }
            while (!stopping) {
                long timeout = 0;
                if (perThreadRate > 0) {
                    long now = System.nanoTime();
                    int tries = 0;
                    while (nextSend <= now && tries < group.size()) {
                        Conn c = group.get(cursor);
                        cursor = (cursor + 1) % group.size();
                        tries++;
                        if (!c.waiting && c.channel.isOpen()) {
                            send(c, line);
                            nextSend += nanosPerLine;
                            tries = 0;
                        }
                    }
                    if (nextSend < now - TimeUnit.SECONDS.toNanos(1)) {
                        nextSend = now;                     // behind by a second: do not burst to catch up
                    }
                    timeout = Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextSend - System.nanoTime()));
                }
                if (timeout == 0) {
                    selector.select();
                } else {
                    selector.select(timeout);
                }
                Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
                while (ready.hasNext()) {
                    SelectionKey key = ready.next();
                    ready.remove();
                    Conn c = (Conn) key.attachment();
                    try {
                        if (key.isValid() && key.isWritable()) {
                            c.channel.write(c.out);
                            if (!c.out.hasRemaining()) {
                                key.interestOps(SelectionKey.OP_READ);
                            }
                        }
                        if (key.isValid() && key.isReadable()) {
                            int n = c.channel.read(c.in);
                            if (n < 0) {
                                failures.incrementAndGet();     // the server closed (a pool's BUSY, say)
                                key.cancel();
                                c.channel.close();
                                continue;
                            }
                            int lf = indexOfNewline(c.in);
                            if (lf >= 0) {
                                long took = System.nanoTime() - c.sentAt;
                                c.in.clear();
                                c.waiting = false;
                                if (measuring) {
                                    recorder.recordValue(Math.min(took, TimeUnit.SECONDS.toNanos(60)));
                                }
                                echoes.incrementAndGet();
                                if (perThreadRate == 0 && !stopping) {
                                    send(c, line);
                                }
                            } else if (!c.in.hasRemaining()) {
                                failures.incrementAndGet();     // more than a line without \n: not an echo server
                                key.cancel();
                                c.channel.close();
                            }
                        }
                    } catch (IOException e) {
                        failures.incrementAndGet();
                        key.cancel();
                        try {
                            c.channel.close();
                        } catch (IOException ignored) {
                            // counted already
                        }
                    }
                }
            }
        } catch (IOException e) {
            failures.incrementAndGet();
        }
    }

    private void send(Conn c, byte[] line) throws IOException {
        c.out = ByteBuffer.wrap(line);
        c.sentAt = System.nanoTime();
        c.waiting = true;
        sent.incrementAndGet();
        c.channel.write(c.out);
        c.key.interestOps(c.out.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
    }

    private static int indexOfNewline(ByteBuffer in) {
        for (int i = in.position() - 1; i >= 0; i--) {
            if (in.get(i) == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** The server's resident memory (kB) and threads, from /proc/PID/status; zeros without a pid. */
    private long[] serverStatus() {
        if (pid <= 0) {
            return new long[] {0, 0};
        }
        try {
            long rss = 0;
            long threadCount = 0;
            for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"), StandardCharsets.UTF_8)) {
                if (l.startsWith("VmRSS:")) {
                    rss = Long.parseLong(l.replaceAll("[^0-9]", ""));
                } else if (l.startsWith("Threads:")) {
                    threadCount = Long.parseLong(l.replaceAll("[^0-9]", ""));
                }
            }
            return new long[] {rss, threadCount};
        } catch (IOException | NumberFormatException e) {
            return new long[] {0, 0};
        }
    }
}
