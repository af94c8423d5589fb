import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Launches mongo-java-server for Rutas de la Salud (development, tests, CI).
 *
 * Why our own launcher: the stock main classes bind to all interfaces and report a server
 * version the Node driver 7 refuses. This one binds 127.0.0.1 only and reports MongoDB 6.0 /
 * wire version 17. The oplog (change streams) is off unless --oplog is given: the service does
 * not use change streams, and the oplog doubled the cost of every write (measured: 349 → 679
 * inserts/s of a 147-line report, 1,024 → 2,272 small inserts/s).
 *
 * Usage: java -cp 'lib/*:classes' EmbeddedMongo [--port N] [--file path.mv | --memory] [--oplog]
 * Prints "READY <port>" on stdout once listening. Exits when stdin reaches end-of-file, so the
 * server never outlives the Node process that started it, even if that process is SIGKILLed.
 */
public final class EmbeddedMongo {
    /** MongoDB 6.0 (wire version 17): accepted by the Node.js driver 7 and mongoose 9. */
    private static final MongoVersion REPORTED = new MongoVersion() {
        @Override
        public List<Integer> getVersionArray() {
            return List.of(6, 0, 0);
        }

        @Override
        public int getWireVersion() {
            return 17;
        }
    };

    private EmbeddedMongo() {
    }

    public static void main(String[] args) throws Exception {
        int port = 0;
        String file = null;
        boolean watchStdin = true;
        boolean oplog = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--file" -> file = args[++i];
                case "--memory" -> file = null;
                case "--no-stdin-watch" -> watchStdin = false;
                case "--oplog" -> oplog = true;
                default -> {
                    System.err.println("unknown argument: " + args[i]);
                    System.exit(2);
                }
            }
        }

        final MongoBackend backend = file == null ? new MemoryBackend() : new H2Backend(file);
        backend.version(REPORTED);
        final MongoServer server = new MongoServer(backend);
        if (oplog) {
            server.enableOplog();
        }
        server.bind(new InetSocketAddress("127.0.0.1", port));
        InetSocketAddress address = server.getLocalAddress();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdownNow();
            stopped.countDown();
        }, "embedded-mongo-shutdown"));

        System.out.println("READY " + address.getPort());
        System.out.flush();

        if (watchStdin) {
            Thread watcher = new Thread(() -> {
                try (InputStream in = System.in) {
                    byte[] buffer = new byte[256];
                    while (in.read(buffer) >= 0) {
                        // Input is ignored: end-of-file means the parent is gone.
                    }
                } catch (Exception ignored) {
                    // A broken pipe means the same thing as end-of-file.
                }
                System.exit(0);
            }, "embedded-mongo-parent-watch");
            watcher.setDaemon(true);
            watcher.start();
        }
        stopped.await();
    }
}
