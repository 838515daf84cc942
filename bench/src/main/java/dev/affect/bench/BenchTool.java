package dev.affect.bench;

import java.io.PrintStream;
import java.util.List;

/**
 * What every bench main shares: the usage text on {@code --help}/{@code -h} (exit 0), and one line
 * {@code <program>: <problem>; see --help} on stderr for a bad argument (exit 2), never a stack trace.
 */
final class BenchTool {
    static final int OK = 0;
    static final int BAD_ARGUMENTS = 2;

    /** The work, given the parsed options; throws UsageException for a value it finds bad. */
    interface Body {
        void run(Args args, PrintStream out) throws Exception;
    }

    private final String program;
    private final String synopsis;
    private final List<BenchOption> options;

    BenchTool(String program, String synopsis, List<BenchOption> options) {
        this.program = program;
        this.synopsis = synopsis;
        this.options = List.copyOf(options);
    }

    int run(String[] args, PrintStream out, PrintStream err, Body body) throws Exception {
        if (Args.wantsHelp(args)) {
            out.print(usage());
            out.flush();
            return OK;
        }
        try {
            body.run(Args.parse(args, options), out);
            return OK;
        } catch (UsageException e) {
            err.println(program + ": " + e.getMessage() + "; see --help");
            return BAD_ARGUMENTS;
        }
    }

    /** Synopsis, then each option with its value, meaning and default. */
    String usage() {
        StringBuilder b = new StringBuilder("Usage: ").append(program).append(" [options]\n").append(synopsis).append("\n\nOptions:\n");
        for (BenchOption o : options) {
            b.append("  --").append(o.name()).append(' ').append(o.valueLabel()).append('\n')
                    .append("      ").append(o.description()).append('\n')
                    .append("      default: ").append(o.shownDefault().isEmpty() ? "(none)" : o.shownDefault()).append('\n');
        }
        b.append("  -h, --help\n      Print this help and exit.\n");
        return b.toString();
    }
}
