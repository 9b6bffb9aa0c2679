package dev.shmq.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The child JVM of the testkit's own tests. Modes: {@code handshake} prints "READY pid" then obeys stdin lines
 * ("ECHO text", "EXIT code"); {@code silent} prints nothing and blocks reading stdin; {@code fail} prints a line to
 * each stream and exits 3.
 */
public final class ChildMain
{
    /** The exit code of mode {@code fail}. */
    static final int FAIL_EXIT_CODE = 3;

    private ChildMain()
    {
    }

    /**
     * @param args the mode.
     * @throws IOException if stdin cannot be read.
     */
    public static void main(final String[] args) throws IOException
    {
        final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        switch (args[0])
        {
            case "handshake":
                System.out.println("READY " + ProcessHandle.current().pid());
                System.out.flush();
                String line;
                while (null != (line = in.readLine()))
                {
                    if (line.startsWith("ECHO "))
                    {
                        System.out.println(line.substring("ECHO ".length()));
                        System.out.flush();
                    }
                    else if (line.startsWith("EXIT "))
                    {
                        System.exit(Integer.parseInt(line.substring("EXIT ".length())));
                    }
                }
                break;

            case "silent":
                in.readLine();
                break;

            case "fail":
                System.out.println("starting");
                System.err.println("boom: cannot open segment");
                System.exit(FAIL_EXIT_CODE);
                break;

            default:
                throw new IllegalArgumentException("mode=" + args[0] + " (expected handshake, silent or fail)");
        }
    }
}
