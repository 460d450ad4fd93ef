package org.tcpworkbook.kit.watch;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * Watches source folders, subfolders included, and calls back once per save.
 *
 * <p>An editor's save is several events (a temporary file, a rename, a modify, ...): after the
 * first one the watcher waits until the folders have been quiet for {@code quiet}, then compares
 * the .java files (path, size, content checksum) with what it saw last, and calls back only if they differ.
 * Folders created later are watched too. Where the JDK's WatchService only polls (macOS: every
 * 10 s), the watcher polls the files itself, every {@code quiet}.
 */
final class SourceWatcher implements AutoCloseable {

    private final List<Path> roots;
    private final Duration quiet;
    private final Runnable onChange;
    private final WatchService service;
    private final Thread thread;
    private volatile boolean closed;
    private Map<Path, String> last;

    SourceWatcher(List<Path> roots, Duration quiet, Runnable onChange) throws IOException {
        this.roots = List.copyOf(roots);
        this.quiet = quiet;
        this.onChange = onChange;
        WatchService ws = FileSystems.getDefault().newWatchService();
        if (ws.getClass().getName().contains("Polling")) {
            ws.close();
            ws = null;
        }
        this.service = ws;
        this.last = snapshot();
        if (service != null) {
            for (Path root : roots) {
                registerTree(root);
            }
        }
        this.thread = new Thread(this::loop, "watch: sources");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        try {
            while (!closed) {
                if (service == null) {
                    Thread.sleep(quiet.toMillis()); // the polling fallback: this is its period, not a wait for an event
                } else {
                    WatchKey key = service.take();
                    handle(key);
                    // debounce: until nothing has happened for `quiet`
                    for (WatchKey more; (more = service.poll(quiet.toMillis(), TimeUnit.MILLISECONDS)) != null; ) {
                        handle(more);
                    }
                }
                Map<Path, String> now = snapshot();
                if (!now.equals(last)) {
                    last = now;
                    onChange.run();
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed
        }
    }

    private void handle(WatchKey key) {
        Path dir = (Path) key.watchable();
        key.pollEvents().forEach(event -> {
            if (event.kind() == ENTRY_CREATE && event.context() instanceof Path name
                    && Files.isDirectory(dir.resolve(name))) {
                registerTree(dir.resolve(name));
            }
        });
        key.reset();
    }

    private void registerTree(Path root) {
        try (Stream<Path> dirs = Files.walk(root)) {
            for (Path dir : (Iterable<Path>) dirs.filter(Files::isDirectory)::iterator) {
                dir.register(service, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE);
            }
        } catch (IOException e) {
            if (Files.exists(root)) {
                throw new UncheckedIOException("cannot watch " + root, e);
            }
        }
    }

    /** Every .java file under the roots, with its size and checksum (a save within a file system's time granularity still counts). */
    private Map<Path, String> snapshot() {
        Map<Path, String> files = new TreeMap<>();
        for (Path root : roots) {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(p -> p.getFileName().toString().endsWith(".java")).forEach(p -> {
                    try {
                        byte[] content = Files.readAllBytes(p);
                        CRC32 crc = new CRC32();
                        crc.update(content);
                        files.put(p, content.length + ":" + Long.toHexString(crc.getValue()));
                    } catch (IOException gone) {
                        // deleted while we looked: the next event tells
                    }
                });
            } catch (IOException | UncheckedIOException e) {
                // a folder deleted while we looked
            }
        }
        return files;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        thread.interrupt();
        if (service != null) {
            service.close();
        }
    }
}
