package dev.affect.engine.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The header of a .npy file: a Python dict literal such as
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (4, 3), }}. It is a fixed format written
 * by numpy's {@code format.py}, so three anchored patterns are enough; no Python parsing.
 */
record NpyHeader(String descr, boolean fortranOrder, long[] shape) {
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    static NpyHeader parse(Path file, String text) throws CheckpointFormatException {
        String t = text.strip();
        if (!t.startsWith("{") || !t.endsWith("}")) {
            throw new CheckpointFormatException(file, "npy header is not a dict: " + t);
        }
        Matcher descr = DESCR.matcher(t);
        Matcher fortran = FORTRAN.matcher(t);
        Matcher shape = SHAPE.matcher(t);
        if (!descr.find() || !fortran.find() || !shape.find()) {
            throw new CheckpointFormatException(file, "npy header lacks a plain descr/fortran_order/shape "
                    + "(structured dtypes are not supported): " + t);
        }
        List<Long> dims = new ArrayList<>();
        for (String part : shape.group(1).split(",")) {
            String p = part.strip();
            if (p.endsWith("L")) { // Python 2 longs
                p = p.substring(0, p.length() - 1);
            }
            if (!p.isEmpty()) {
                try {
                    long d = Long.parseLong(p);
                    if (d < 0 || d > Integer.MAX_VALUE) {
                        throw new NumberFormatException();
                    }
                    dims.add(d);
                } catch (NumberFormatException e) {
                    throw new CheckpointFormatException(file, "npy header has a bad shape (" + shape.group(1) + ")");
                }
            }
        }
        return new NpyHeader(descr.group(1), fortran.group(1).equals("True"),
                dims.stream().mapToLong(Long::longValue).toArray());
    }

    /** The dict exactly as numpy writes it (trailing ", }", 1-tuples as "(5,)"). */
    String format() {
        StringBuilder s = new StringBuilder("{'descr': '").append(descr).append("', 'fortran_order': ")
                .append(fortranOrder ? "True" : "False").append(", 'shape': (");
        for (int i = 0; i < shape.length; i++) {
            s.append(i > 0 ? ", " : "").append(shape[i]);
        }
        return s.append(shape.length == 1 ? ",), }" : "), }").toString();
    }
}
