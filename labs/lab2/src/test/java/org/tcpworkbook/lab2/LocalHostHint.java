package org.tcpworkbook.lab2;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.AssertionFailedError;
import org.tcpworkbook.kit.Notes;

/**
 * A check that failed because the student's code called {@code InetAddress.getLocalHost()} says so
 * first. That call looks up the machine's own host name: it is not the server's address, and where
 * the name is in no hosts file (as in the checker, which reads only the kit's) it throws
 * UnknownHostException with a message that reads like a broken machine.
 */
final class LocalHostHint implements TestExecutionExceptionHandler {
    static final String HINT = "Your code called InetAddress.getLocalHost(), which looks up this machine's own host"
            + " name: that is not the server's address (and where the name is in no hosts file, as here, the"
            + " lookup fails). Connect to the address you were given, the InetSocketAddress server, as it is.";

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            for (StackTraceElement frame : t.getStackTrace()) {
                if (frame.getClassName().equals("java.net.InetAddress") && frame.getMethodName().equals("getLocalHost")) {
                    AssertionFailedError hinted = new AssertionFailedError(HINT + " " + Notes.see("lab2", "task-connect") + "\n"
                            + failure.getMessage(), failure);
                    hinted.setStackTrace(failure.getStackTrace());
                    throw hinted;
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        throw failure;
    }
}
