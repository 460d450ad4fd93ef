package org.tcpworkbook.kit;

import java.io.IOException;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.AssertionFailedError;

/**
 * The JUnit Jupiter extension every checker uses ({@code @ExtendWith(Peers.class)}). For each check it
 * <ul>
 *   <li>injects what the check asks for: a started {@link ReferenceServer}, a {@link ReferenceClients}
 *       factory, the {@link Transcript} they share;</li>
 *   <li>on failure, appends the transcript (what happened on the wire) to the report;</li>
 *   <li>afterwards closes every peer, then fails the check if the student's code left a thread
 *       running or a socket open (see {@link LeakCheck}).</li>
 * </ul>
 */
public final class Peers implements BeforeEachCallback, AfterEachCallback, ParameterResolver,
        TestExecutionExceptionHandler {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(Peers.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        store(context).put(LeakCheck.class, LeakCheck.begin(context.getRequiredTestClass()));
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == ReferenceServer.class || type == ReferenceClients.class || type == Transcript.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (type == Transcript.class) {
            return transcript(context);
        }
        if (type == ReferenceClients.class) {
            return store(context).getOrComputeIfAbsent(ReferenceClients.class,
                    k -> new ReferenceClients(transcript(context)), ReferenceClients.class);
        }
        return store(context).getOrComputeIfAbsent(ReferenceServer.class, k -> {
            try {
                return ReferenceServer.start(transcript(context));
            } catch (IOException e) {
                throw new ParameterResolutionException("could not start the reference server", e);
            }
        }, ReferenceServer.class);
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        Transcript transcript = store(context).get(Transcript.class, Transcript.class);
        if (transcript == null || !transcript.hasActivity()) {
            throw failure;
        }
        AssertionFailedError reported = new AssertionFailedError(failure.getMessage()
                + "\n\nWhat happened on the wire (" + transcript.lines().size() + " events):\n"
                + transcript, failure);
        reported.setStackTrace(failure.getStackTrace());
        throw reported;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        ExtensionContext.Store store = store(context);
        ReferenceClients clients = store.remove(ReferenceClients.class, ReferenceClients.class);
        if (clients != null) {
            clients.close();
        }
        ReferenceServer server = store.remove(ReferenceServer.class, ReferenceServer.class);
        if (server != null) {
            server.close();
        }
        LeakCheck check = store.remove(LeakCheck.class, LeakCheck.class);
        if (check == null || context.getExecutionException().isPresent()) {
            return; // the check failed already: its own message says more than a leak would
        }
        String leaks = check.leaks();
        if (!leaks.isEmpty()) {
            throw new AssertionFailedError(leaks);
        }
    }

    private static Transcript transcript(ExtensionContext context) {
        return store(context).getOrComputeIfAbsent(Transcript.class, k -> new Transcript(), Transcript.class);
    }

    private static ExtensionContext.Store store(ExtensionContext context) {
        return context.getStore(NS);
    }
}
