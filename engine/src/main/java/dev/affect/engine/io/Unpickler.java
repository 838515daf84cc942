package dev.affect.engine.io;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pickle virtual machine for plain data (protocols 2-5): str, int, float, bool, None, bytes,
 * tuple, list and dict are built here; everything that would name or call Python code (GLOBAL,
 * REDUCE, NEWOBJ, BUILD, persistent ids) is delegated to {@link Hooks}, which decides what is
 * allowed. Opcodes that could run code without going through the hooks (INST, OBJ, EXT*) are
 * simply not implemented, so nothing here ever executes anything.
 *
 * <p>Python values map to: str = String, int = Long (BigInteger beyond 64 bits), float = Double,
 * bool = Boolean, None = null, bytes = byte[], tuple = {@link PyTuple}, list = ArrayList,
 * dict = LinkedHashMap (insertion-ordered like Python's dict).
 */
final class Unpickler {
    /** The policy for everything that is not plain data. Implementations throw PickleException to refuse. */
    interface Hooks {
        Object global(String module, String name);

        /** REDUCE: callable(*args). */
        Object call(Object callable, PyTuple args);

        /** NEWOBJ: cls.__new__(cls, *args). */
        Object newObject(Object cls, PyTuple args);

        /** BUILD: obj.__setstate__(state); returns the object to leave on the stack. */
        Object build(Object obj, Object state);

        Object persistentLoad(Object pid);
    }

    private static final Object MARK = new Object() {
        @Override
        public String toString() {
            return "MARK";
        }
    };

    private final byte[] in;
    private final Hooks hooks;
    private int pos;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();

    private Unpickler(byte[] in, Hooks hooks) {
        this.in = in;
        this.hooks = hooks;
    }

    /** Runs the pickle to its STOP opcode and returns the top-level object. */
    static Object load(byte[] pickle, Hooks hooks) {
        return new Unpickler(pickle, hooks).run();
    }

    /** A pickle's top-level object and the offset just past its STOP opcode. */
    record Loaded(Object value, int end) {
    }

    /**
     * Runs the pickle that starts at {@code offset} to its STOP opcode: for streams of several
     * pickles back to back (torch's legacy save format).
     */
    static Loaded loadAt(byte[] data, int offset, Hooks hooks) {
        if (offset < 0 || offset > data.length) {
            throw new PickleException("pickle offset " + offset + " outside " + data.length + " bytes");
        }
        Unpickler u = new Unpickler(data, hooks);
        u.pos = offset;
        Object value = u.run();
        return new Loaded(value, u.pos);
    }

    private Object run() {
        while (true) {
            int at = pos;
            int op = u8();
            switch (op) {
                case 0x80 -> { // PROTO
                    int proto = u8();
                    if (proto > 5) {
                        throw new PickleException("unsupported pickle protocol " + proto);
                    }
                }
                case 0x95 -> bytes(8); // FRAME: framing is only a buffering hint
                case 0x2e -> { // STOP
                    if (stack.size() != 1 || !marks.isEmpty()) {
                        throw new PickleException("pickle stopped with " + stack.size() + " objects on the stack");
                    }
                    return stack.getFirst();
                }
                case 0x28 -> { // MARK
                    marks.add(stack.size());
                    stack.add(MARK);
                }
                case 0x7d -> push(new LinkedHashMap<>()); // EMPTY_DICT
                case 0x5d -> push(new ArrayList<>()); // EMPTY_LIST
                case 0x29 -> push(PyTuple.of()); // EMPTY_TUPLE
                case 0x58 -> push(string(u32())); // BINUNICODE
                case 0x8c -> push(string(u8())); // SHORT_BINUNICODE
                case 0x8d -> push(string(u64())); // BINUNICODE8
                case 0x43 -> push(bytes(u8())); // SHORT_BINBYTES
                case 0x42 -> push(bytes(u32())); // BINBYTES
                case 0x8e -> push(bytes(u64())); // BINBYTES8
                case 0x4a -> push((long) (u8() | u8() << 8 | u8() << 16 | u8() << 24)); // BININT (signed)
                case 0x4b -> push((long) u8()); // BININT1
                case 0x4d -> push((long) (u8() | u8() << 8)); // BININT2
                case 0x8a -> push(longValue(u8())); // LONG1
                case 0x8b -> push(longValue(u32())); // LONG4
                case 0x47 -> push(Double.longBitsToDouble(bigEndianLong())); // BINFLOAT is big-endian
                case 0x4e -> push(null); // NONE
                case 0x88 -> push(Boolean.TRUE); // NEWTRUE
                case 0x89 -> push(Boolean.FALSE); // NEWFALSE
                case 0x74 -> push(new PyTuple(Collections.unmodifiableList(popMark()))); // TUPLE
                case 0x85 -> push(PyTuple.of(pop())); // TUPLE1
                case 0x86 -> { // TUPLE2
                    Object b = pop();
                    push(PyTuple.of(pop(), b));
                }
                case 0x87 -> { // TUPLE3
                    Object c = pop();
                    Object b = pop();
                    push(PyTuple.of(pop(), b, c));
                }
                case 0x6c -> push(popMark()); // LIST
                case 0x61 -> { // APPEND
                    Object v = pop();
                    list(peek(), "APPEND").add(v);
                }
                case 0x65 -> { // APPENDS
                    List<Object> items = popMark();
                    list(peek(), "APPENDS").addAll(items);
                }
                case 0x64 -> { // DICT
                    List<Object> items = popMark();
                    Map<Object, Object> d = new LinkedHashMap<>();
                    putPairs(d, items);
                    push(d);
                }
                case 0x73 -> { // SETITEM
                    Object v = pop();
                    Object k = pop();
                    dict(peek(), "SETITEM").put(k, v);
                }
                case 0x75 -> { // SETITEMS
                    List<Object> items = popMark();
                    putPairs(dict(peek(), "SETITEMS"), items);
                }
                case 0x71 -> memo.put((long) u8(), peek()); // BINPUT
                case 0x72 -> memo.put(u32(), peek()); // LONG_BINPUT
                case 0x94 -> memo.put((long) memo.size(), peek()); // MEMOIZE
                case 0x68 -> push(memoGet(u8())); // BINGET
                case 0x6a -> push(memoGet(u32())); // LONG_BINGET
                case 0x30 -> pop(); // POP
                case 0x31 -> popMark(); // POP_MARK
                case 0x32 -> push(peek()); // DUP
                case 0x63 -> push(hooks.global(line(), line())); // GLOBAL "module\nname\n"
                case 0x93 -> { // STACK_GLOBAL
                    Object name = pop();
                    Object module = pop();
                    if (!(module instanceof String m) || !(name instanceof String n)) {
                        throw new PickleException("STACK_GLOBAL needs two strings at byte " + at);
                    }
                    push(hooks.global(m, n));
                }
                case 0x52 -> { // REDUCE
                    Object args = pop();
                    push(hooks.call(pop(), tuple(args, "REDUCE")));
                }
                case 0x81 -> { // NEWOBJ
                    Object args = pop();
                    push(hooks.newObject(pop(), tuple(args, "NEWOBJ")));
                }
                case 0x62 -> { // BUILD
                    Object state = pop();
                    push(hooks.build(pop(), state));
                }
                case 0x51 -> push(hooks.persistentLoad(pop())); // BINPERSID
                default -> throw new PickleException(String.format("unsupported pickle opcode 0x%02x%s at byte %d",
                        op, op >= 0x20 && op < 0x7f ? " ('" + (char) op + "')" : "", at));
            }
        }
    }

    // ---- stack ----

    private void push(Object o) {
        stack.add(o);
    }

    private Object pop() {
        if (stack.isEmpty() || (!marks.isEmpty() && marks.getLast() == stack.size() - 1)) {
            throw new PickleException("pickle stack underflow at byte " + (pos - 1));
        }
        return stack.removeLast();
    }

    private Object peek() {
        if (stack.isEmpty() || stack.getLast() == MARK) {
            throw new PickleException("pickle stack underflow at byte " + (pos - 1));
        }
        return stack.getLast();
    }

    /** Pops everything above the last MARK, and the mark itself. */
    private List<Object> popMark() {
        if (marks.isEmpty()) {
            throw new PickleException("pickle MARK missing at byte " + (pos - 1));
        }
        int mark = marks.removeLast();
        List<Object> items = new ArrayList<>(stack.subList(mark + 1, stack.size()));
        stack.subList(mark, stack.size()).clear();
        return items;
    }

    private Object memoGet(long key) {
        if (!memo.containsKey(key)) {
            throw new PickleException("pickle memo key " + key + " missing at byte " + (pos - 1));
        }
        return memo.get(key);
    }

    private static void putPairs(Map<Object, Object> d, List<Object> items) {
        if (items.size() % 2 != 0) {
            throw new PickleException("odd number of items for a dict");
        }
        for (int i = 0; i < items.size(); i += 2) {
            d.put(items.get(i), items.get(i + 1));
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o, String op) {
        if (o instanceof ArrayList<?> l) {
            return (List<Object>) l;
        }
        throw new PickleException(op + " on " + typeName(o) + ", not a list");
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> dict(Object o, String op) {
        if (o instanceof LinkedHashMap<?, ?> m) {
            return (Map<Object, Object>) m;
        }
        throw new PickleException(op + " on " + typeName(o) + ", not a dict");
    }

    private static PyTuple tuple(Object o, String op) {
        if (o instanceof PyTuple t) {
            return t;
        }
        throw new PickleException(op + " arguments are " + typeName(o) + ", not a tuple");
    }

    static String typeName(Object o) {
        return o == null ? "None" : o.getClass().getSimpleName();
    }

    // ---- input ----

    private int u8() {
        need(1);
        return in[pos++] & 0xff;
    }

    private long u32() {
        need(4);
        long v = (in[pos] & 0xffL) | (in[pos + 1] & 0xffL) << 8 | (in[pos + 2] & 0xffL) << 16 | (in[pos + 3] & 0xffL) << 24;
        pos += 4;
        return v;
    }

    private long u64() {
        need(8);
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (in[pos + i] & 0xffL);
        }
        pos += 8;
        if (v < 0) {
            throw new PickleException("pickle length out of range at byte " + (pos - 8));
        }
        return v;
    }

    private long bigEndianLong() {
        need(8);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (in[pos + i] & 0xffL);
        }
        pos += 8;
        return v;
    }

    private byte[] bytes(long n) {
        need(n);
        byte[] b = Arrays.copyOfRange(in, pos, pos + (int) n);
        pos += (int) n;
        return b;
    }

    private String string(long n) {
        return new String(bytes(n), StandardCharsets.UTF_8);
    }

    /** LONG1/LONG4: little-endian two's complement of n bytes. */
    private Object longValue(long n) {
        byte[] le = bytes(n);
        if (n == 0) {
            return 0L;
        }
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) {
            be[i] = le[le.length - 1 - i];
        }
        BigInteger v = new BigInteger(be);
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    /** A text line of GLOBAL, without its newline. */
    private String line() {
        int start = pos;
        while (pos < in.length && in[pos] != '\n') {
            pos++;
        }
        if (pos >= in.length) {
            throw new PickleException("pickle truncated inside GLOBAL at byte " + start);
        }
        return new String(in, start, pos++ - start, StandardCharsets.UTF_8);
    }

    /** Checking lengths against what is left means a corrupt length can never make us allocate. */
    private void need(long n) {
        if (n < 0 || n > in.length - pos) {
            throw new PickleException("pickle truncated at byte " + pos + " (needs " + n + " more bytes, "
                    + (in.length - pos) + " left)");
        }
    }
}
