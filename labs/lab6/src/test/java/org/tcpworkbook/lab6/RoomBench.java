package org.tcpworkbook.lab6;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.tcpworkbook.chat.ChatProtocol;
import org.tcpworkbook.chat.LineReader;
import org.tcpworkbook.chat.RoomProtocol;

/**
 * Lab 6's benchmark (a program, not a test): MEMBERS members each say LINES lines at once, and every
 * member must receive every other member's lines exactly once, in order: MEMBERS x LINES x
 * (MEMBERS - 1) deliveries (200 x 10 x 199 = 398,000). It reports the time from the first line sent
 * to the last delivered, then the same with one more member that never reads at all, whose time
 * should stay within 20% of the first. Runs each ROUNDS times and reports each and the median.
 * QUEUE, the room's queue limit, is by default large enough for the burst (members x lines).
 * From labs/ it measures your ChatRoom (labs/bench/room-bench.sh measures the reference solution's):
 *
 * <pre>
 * ../mvnw -q test-compile exec:java -pl lab6 -Dexec.classpathScope=test \
 *     -Dlab.main=org.tcpworkbook.lab6.RoomBench -Dexec.args="200 10 3"
 * </pre>
 */
public final class RoomBench {
    private static String PAD = "";

    private RoomBench() {
    }

    public static void main(String[] args) throws Exception {
        int members = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int lines = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        // Every member says its lines at once: each queue gets (members - 1) x lines in a burst, so
        // the room's queues must hold a burst (the program's 256 would drop members here, as designed)
        int queue = args.length > 3 && !args[3].equals("0") ? Integer.parseInt(args[3])
                : Math.max(Lab6.QUEUE_LIMIT, lines * members);
        // PAD bytes added to every line: with 0, a member that never reads gets ~30 KB, which the kernel
        // holds for it, so its writer never even blocks; with 1000, it gets ~2 MB and its writer blocks
        int pad = args.length > 4 ? Integer.parseInt(args[4]) : 0;
        PAD = "x".repeat(pad);
        long deliveries = (long) members * lines * (members - 1);
        System.out.printf(Locale.ROOT, "%d members x %d lines of %d+ bytes: %,d deliveries per run; queue limit %d; %d cores%n",
                members, lines, PAD.length(), deliveries, queue, Runtime.getRuntime().availableProcessors());
        double[] plain = new double[rounds];
        double[] sleeper = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            plain[r] = run(members, lines, queue, false);
            sleeper[r] = run(members, lines, queue, true);
            System.out.printf(Locale.ROOT, "round %d: all reading %.0f ms, with one member not reading %.0f ms%n",
                    r + 1, plain[r], sleeper[r]);
        }
        double a = median(plain);
        double b = median(sleeper);
        System.out.printf(Locale.ROOT, "median: all reading %.0f ms (%,.0f deliveries/s), one not reading %.0f ms:"
                + " %+.1f%% (goal: within +20%%)%n", a, deliveries / (a / 1000), b, (b / a - 1) * 100);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** One run: the time in ms from the start signal to the last delivery. */
    private static double run(int members, int lines, int queue, boolean withSleeper) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, members + 10, InetAddress.getLoopbackAddress());
             ChatRoom room = new ChatRoom(listener, queue)) {
            Thread serving = new Thread(() -> {
                try {
                    room.serve(RoomEvents.NONE);
                } catch (IOException e) {
                    e.printStackTrace();
                }
            }, "bench-accept");
            serving.start();
            Socket sleepy = null;
            if (withSleeper) {                                  // joins, then never reads another byte
                sleepy = new Socket();
                sleepy.setReceiveBufferSize(2048);
                sleepy.connect(listener.getLocalSocketAddress(), 2000);
                sleepy.getOutputStream().write("sleepy\n".getBytes(ChatProtocol.CHARSET));
            }
            CountDownLatch joined = new CountDownLatch(members);
            CountDownLatch go = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(members);
            AtomicLong lastDelivery = new AtomicLong();
            List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
            List<Thread> threads = new ArrayList<>();
            List<Socket> sockets = new ArrayList<>();
            for (int i = 0; i < members; i++) {
                Socket s = new Socket();
                s.connect(listener.getLocalSocketAddress(), 5000);
                sockets.add(s);
                String nick = "m" + i;
                Thread t = new Thread(() -> member(s, nick, members, lines, joined, go, done, lastDelivery, errors),
                        "bench-" + nick);
                threads.add(t);
                t.start();
            }
            if (!joined.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not every member joined within 60 s");
            }
            Thread.sleep(200);                                  // the join announcements settle
            long start = System.nanoTime();
            go.countDown();
            if (!done.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not every delivery arrived within 60 s: " + done.getCount()
                        + " members short; " + errors.size() + " errors" + (errors.isEmpty() ? "" : ", the first: "
                        + errors.get(0)));
            }
            double ms = (lastDelivery.get() - start) / 1e6;
            if (!errors.isEmpty()) {
                throw new IllegalStateException(errors.size() + " errors, the first: " + errors.get(0));
            }
            for (Socket s : sockets) {
                s.close();
            }
            if (sleepy != null) {
                sleepy.close();
            }
            for (Thread t : threads) {
                t.join(5000);
            }
            return ms;
        }
    }

    private static void member(Socket socket, String nick, int members, int lines, CountDownLatch joined,
            CountDownLatch go, CountDownLatch done, AtomicLong lastDelivery, List<String> errors) {
        try (socket) {
            LineReader in = new LineReader(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            in.readLine();                                      // the prompt
            out.write((nick + "\n").getBytes(ChatProtocol.CHARSET));
            String welcome = in.readLine();
            if (welcome == null || !welcome.startsWith("*** 欢迎 welcome " + nick)) {
                errors.add(nick + " was not welcomed: " + welcome);
                return;
            }
            joined.countDown();
            go.await();
            StringBuilder burst = new StringBuilder();
            for (int k = 0; k < lines; k++) {
                burst.append(nick).append(' ').append(PAD).append(' ').append(k).append('\n');
            }
            out.write(burst.toString().getBytes(ChatProtocol.CHARSET));
            out.flush();
            int[] next = new int[members];
            long expected = (long) lines * (members - 1);
            long got = 0;
            while (got < expected) {
                String line = in.readLine();
                if (line == null) {
                    errors.add(nick + " lost its connection after " + got + " deliveries");
                    return;
                }
                if (!line.startsWith("[")) {
                    continue;                                   // news: joins, a drop
                }
                int close = line.indexOf("] ");
                String from = line.substring(2, close);          // "[m17] m17 3"
                int sender = Integer.parseInt(from);
                int k = Integer.parseInt(line.substring(line.lastIndexOf(' ') + 1));
                if (("m" + sender).equals(nick) || k != next[sender]) {
                    errors.add(nick + " got \"" + line + "\" out of order, twice, or its own");
                    return;
                }
                next[sender]++;
                got++;
            }
            lastDelivery.accumulateAndGet(System.nanoTime(), Math::max);
            done.countDown();
            while (in.readLine() != null) {                     // until the bench closes the room
                // drop notices, goodbye
            }
        } catch (Exception e) {
            if (done.getCount() > 0 && !socket.isClosed()) {
                errors.add(nick + ": " + e);
            }
        }
    }
}
