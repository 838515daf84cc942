#!/usr/bin/env python3
"""Writes Java FFM bindings in jextract's layout, using libclang (python3-clang).

jextract itself cannot be installed on our machines, so this script reproduces the
shape of its output for the subset we use: functions (holder class with DESC/ADDR/HANDLE
plus $descriptor/$handle/$address accessors and a wrapper), integer constants (enum
constants and object-like macros as getters over private static final fields) and
structs (one class each). Filtering follows jextract's @argfile lines
(--include-function / --include-struct / --include-constant); every included name must
exist. Anything this subset cannot express (structs by value, variadic or function-like
macros, non-integer macros) is an error rather than silently skipped output.

Usage mirrors jextract:
  generate.py --output DIR --target-package PKG --header-class-name NAME
              [-I DIR]... [-D MACRO[=VAL]]... [@includes-file]... HEADER...
  generate.py --dump-includes FILE [-I DIR]... HEADER...
Exit status: 0 ok, 1 bad input (unknown symbol, unsupported type), 2 libclang unavailable.
"""

import ctypes
import os
import sys

GENERATOR = "scripts/gen-bindings"
DECLS_PER_HEADER_CLASS = 1000  # jextract's default (-Djextract.decls.per.header)

JAVA_KEYWORDS = {
    "abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const",
    "continue", "default", "do", "double", "else", "enum", "extends", "final", "finally", "float",
    "for", "goto", "if", "implements", "import", "instanceof", "int", "interface", "long", "native",
    "new", "package", "private", "protected", "public", "return", "short", "static", "strictfp",
    "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try", "void",
    "volatile", "while", "true", "false", "null", "var", "yield", "record", "sealed", "permits",
    "when", "_",
}


class GenError(Exception):
    """Bad input: reported on stderr with exit status 1."""


def load_clang():
    """Imports clang.cindex and checks that libclang itself loads; exits 2 otherwise."""
    try:
        import clang.cindex as ci
    except ImportError as e:
        sys.stderr.write(f"generate.py: python module clang.cindex not available ({e}); "
                         "install python3-clang and libclang-dev\n")
        sys.exit(2)
    lib = os.environ.get("LIBCLANG_PATH")
    if lib:
        if os.path.isdir(lib):
            ci.Config.set_library_path(lib)
        else:
            ci.Config.set_library_file(lib)
    try:
        ci.Index.create()
    except Exception as e:  # cindex raises LibclangError, a plain Exception subclass
        sys.stderr.write(f"generate.py: libclang could not be loaded ({e}); "
                         "install libclang-dev or set LIBCLANG_PATH\n")
        sys.exit(2)
    return ci


# ---------------------------------------------------------------- command line

class Options:
    def __init__(self):
        self.output = None
        self.package = ""
        self.header_class = None
        self.include_dirs = []
        self.defines = []
        self.headers = []
        self.includes = {"function": [], "struct": [], "constant": []}
        self.dump_includes = None


def read_argfile(path):
    """jextract @argfile: whitespace-separated options, '#' starts a comment."""
    words = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0]
            words.extend(line.split())
    return words


def parse_args(argv):
    expanded = []
    for a in argv:
        expanded.extend(read_argfile(a[1:]) if a.startswith("@") else [a])
    opts = Options()
    it = iter(expanded)
    for a in it:
        if a in ("--output", "-o"):
            opts.output = next(it)
        elif a in ("--target-package", "-t"):
            opts.package = next(it)
        elif a == "--header-class-name":
            opts.header_class = next(it)
        elif a == "-I":
            opts.include_dirs.append(next(it))
        elif a.startswith("-I"):
            opts.include_dirs.append(a[2:])
        elif a == "-D":
            opts.defines.append(next(it))
        elif a.startswith("-D"):
            opts.defines.append(a[2:])
        elif a == "--dump-includes":
            opts.dump_includes = next(it)
        elif a.startswith("--include-"):
            kind = a[len("--include-"):]
            if kind not in opts.includes:
                raise GenError(f"unsupported filter {a} (supported: "
                               + ", ".join("--include-" + k for k in opts.includes) + ")")
            opts.includes[kind].append(next(it))
        elif a.startswith("-"):
            raise GenError(f"unknown option {a}")
        else:
            opts.headers.append(a)
    if not opts.headers:
        raise GenError("no header given")
    if opts.dump_includes is None and (opts.output is None or opts.header_class is None):
        raise GenError("--output and --header-class-name are required")
    return opts


# ---------------------------------------------------------------- parsing

class Function:
    def __init__(self, name, ret, params, c_decl):
        self.name, self.ret, self.params, self.c_decl = name, ret, params, c_decl


class Constant:
    def __init__(self, name, java_type, value, c_decl):
        self.name, self.java_type, self.value, self.c_decl = name, java_type, value, c_decl


class Struct:
    def __init__(self, name, layout_name, members, size, c_decl, fields):
        self.name, self.layout_name, self.members = name, layout_name, members
        self.size, self.c_decl, self.fields = size, c_decl, fields


class Parser:
    """Walks one translation unit (an umbrella of the given headers) in declaration order."""

    def __init__(self, ci, opts):
        self.ci = ci
        self.opts = opts
        self.args = ["-x", "c", "-std=c11"] + ["-I" + d for d in opts.include_dirs] \
            + ["-D" + d for d in opts.defines]
        self._bind_extra_libclang()

    def _bind_extra_libclang(self):
        # clang.cindex 14 does not wrap macro evaluation; bind the C entry points directly.
        lib = self.ci.conf.lib
        lib.clang_Cursor_isMacroFunctionLike.argtypes = [self.ci.Cursor]
        lib.clang_Cursor_isMacroFunctionLike.restype = ctypes.c_uint
        lib.clang_Cursor_Evaluate.argtypes = [self.ci.Cursor]
        lib.clang_Cursor_Evaluate.restype = ctypes.c_void_p
        lib.clang_EvalResult_getKind.argtypes = [ctypes.c_void_p]
        lib.clang_EvalResult_getKind.restype = ctypes.c_int
        lib.clang_EvalResult_getAsLongLong.argtypes = [ctypes.c_void_p]
        lib.clang_EvalResult_getAsLongLong.restype = ctypes.c_longlong
        lib.clang_EvalResult_isUnsignedInt.argtypes = [ctypes.c_void_p]
        lib.clang_EvalResult_isUnsignedInt.restype = ctypes.c_uint
        lib.clang_EvalResult_getAsUnsigned.argtypes = [ctypes.c_void_p]
        lib.clang_EvalResult_getAsUnsigned.restype = ctypes.c_ulonglong
        lib.clang_EvalResult_dispose.argtypes = [ctypes.c_void_p]
        lib.clang_EvalResult_dispose.restype = None
        self.lib = lib

    def umbrella(self):
        lines = []
        for h in self.opts.headers:
            lines.append(f'#include "{os.path.abspath(h)}"' if os.path.isfile(h) else f'#include "{h}"')
        return "\n".join(lines) + "\n"

    def parse(self, extra=""):
        ci = self.ci
        name = "jextract$umbrella.h"
        tu = ci.Index.create().parse(
            name, args=self.args, unsaved_files=[(name, self.umbrella() + extra)],
            options=ci.TranslationUnit.PARSE_DETAILED_PROCESSING_RECORD
            | ci.TranslationUnit.PARSE_SKIP_FUNCTION_BODIES)
        errors = [d for d in tu.diagnostics if d.severity >= ci.Diagnostic.Error]
        if errors:
            raise GenError("clang errors:\n  " + "\n  ".join(str(d) for d in errors))
        return tu

    def top_level(self, tu):
        """Declarations outside the synthetic umbrella, in translation-unit order."""
        for c in tu.cursor.get_children():
            if c.location.file is None or c.location.file.name.endswith("jextract$umbrella.h"):
                continue
            yield c

    # --- macros

    def is_function_like(self, cursor):
        return bool(self.lib.clang_Cursor_isMacroFunctionLike(cursor))

    def evaluate_macros(self, names):
        """Evaluates object-like macros the way jextract does: as initialisers in a scratch TU."""
        if not names:
            return {}
        extra = "".join(f"__auto_type jextract$macro${n} = {n};\n" for n in names)
        tu = self.parse(extra)
        ck = self.ci.CursorKind
        tk = self.ci.TypeKind
        values = {}
        for c in tu.cursor.get_children():
            if c.kind != ck.VAR_DECL or not c.spelling.startswith("jextract$macro$"):
                continue
            name = c.spelling[len("jextract$macro$"):]
            kind = c.type.get_canonical().kind
            if kind in (tk.INT, tk.UINT, tk.SHORT, tk.USHORT, tk.CHAR_S, tk.SCHAR, tk.UCHAR):
                java_type = "int"
            elif kind in (tk.LONG, tk.ULONG, tk.LONGLONG, tk.ULONGLONG):
                java_type = "long"
            else:
                raise GenError(f"macro {name}: type {c.type.spelling} is not supported (only integer macros)")
            res = self.lib.clang_Cursor_Evaluate(c)
            if not res:
                raise GenError(f"macro {name} could not be evaluated")
            try:
                if self.lib.clang_EvalResult_getKind(res) != 1:  # CXEval_Int
                    raise GenError(f"macro {name} is not an integer constant")
                if self.lib.clang_EvalResult_isUnsignedInt(res):
                    v = self.lib.clang_EvalResult_getAsUnsigned(res)
                else:
                    v = self.lib.clang_EvalResult_getAsLongLong(res)
            finally:
                self.lib.clang_EvalResult_dispose(res)
            values[name] = (java_type, v)
        return values


# ---------------------------------------------------------------- type mapping

class Types:
    """C type -> (layout constant, Java carrier), as jextract maps them on Linux x64."""

    def __init__(self, ci, header):
        self.ci, self.h = ci, header

    def map(self, t, what, is_param=False):
        tk = self.ci.TypeKind
        c = t.get_canonical()
        if c.kind == tk.ENUM:
            c = c.get_declaration().enum_type.get_canonical()
        k = c.kind
        table = {
            tk.BOOL: ("C_BOOL", "boolean"),
            tk.CHAR_S: ("C_CHAR", "byte"), tk.SCHAR: ("C_CHAR", "byte"), tk.UCHAR: ("C_CHAR", "byte"),
            tk.SHORT: ("C_SHORT", "short"), tk.USHORT: ("C_SHORT", "short"),
            tk.INT: ("C_INT", "int"), tk.UINT: ("C_INT", "int"),
            tk.LONG: ("C_LONG", "long"), tk.ULONG: ("C_LONG", "long"),
            tk.LONGLONG: ("C_LONG_LONG", "long"), tk.ULONGLONG: ("C_LONG_LONG", "long"),
            tk.FLOAT: ("C_FLOAT", "float"), tk.DOUBLE: ("C_DOUBLE", "double"),
        }
        if k in table:
            layout, carrier = table[k]
            return f"{self.h}.{layout}", carrier
        if k in (tk.CONSTANTARRAY, tk.INCOMPLETEARRAY) and is_param:
            return f"{self.h}.C_POINTER", "MemorySegment"  # arrays decay to pointers in parameters
        if k == tk.POINTER:
            return f"{self.h}.C_POINTER", "MemorySegment"
        if k == tk.RECORD:
            raise GenError(f"{what} of type {t.spelling}: structs by value are not supported by this generator")
        raise GenError(f"{what} of type {t.spelling} is not supported by this generator")


def c_decl(type_spelling, name):
    """'const char *' + 'f' -> 'const char *f', like jextract's declaration printer."""
    if not name:
        return type_spelling
    return f"{type_spelling}{name}" if type_spelling.endswith("*") else f"{type_spelling} {name}"


def java_name(name):
    """Parameter names that are Java keywords get a trailing underscore, as in jextract."""
    return name + "_" if name in JAVA_KEYWORDS else name


# ---------------------------------------------------------------- collection

def collect(ci, opts):
    """Returns (decls in TU order, structs) for the names the includes select."""
    parser = Parser(ci, opts)
    tu = parser.parse()
    ck = ci.CursorKind
    want_f = set(opts.includes["function"])
    want_s = set(opts.includes["struct"])
    want_c = set(opts.includes["constant"])
    types = Types(ci, opts.header_class)

    decls = []  # ("function", Function) | ("constant", Constant) | ("macro", name)
    structs = []
    seen = set()
    macro_order = []
    # anonymous enums are named after their typedef in the doc comments
    typedef_of = {c.underlying_typedef_type.get_declaration().hash: c.spelling
                  for c in parser.top_level(tu) if c.kind == ck.TYPEDEF_DECL}

    for c in parser.top_level(tu):
        if c.kind == ck.FUNCTION_DECL and c.spelling in want_f and ("f", c.spelling) not in seen:
            seen.add(("f", c.spelling))
            decls.append(("function", make_function(c, types)))
        elif c.kind == ck.ENUM_DECL:
            for e in c.get_children():
                if e.kind == ck.ENUM_CONSTANT_DECL and e.spelling in want_c and ("c", e.spelling) not in seen:
                    seen.add(("c", e.spelling))
                    owner = c.spelling if c.spelling and "(" not in c.spelling \
                        else typedef_of.get(c.hash, "<anonymous>")
                    decls.append(("constant", Constant(
                        e.spelling, "int", e.enum_value, f"enum {owner}.{e.spelling} = {e.enum_value}")))
        elif c.kind == ck.MACRO_DEFINITION and c.spelling in want_c and ("c", c.spelling) not in seen:
            if parser.is_function_like(c):
                raise GenError(f"{c.spelling} is a function-like macro; jextract drops those: write it in the facade")
            seen.add(("c", c.spelling))
            tokens = " ".join(t.spelling for t in list(c.get_tokens())[1:])
            decls.append(("macro", (c.spelling, f"#define {c.spelling} {tokens}")))
            macro_order.append(c.spelling)
        elif c.kind == ck.TYPEDEF_DECL and c.spelling in want_s and ("s", c.spelling) not in seen:
            under = c.underlying_typedef_type.get_canonical()
            if under.kind == ci.TypeKind.RECORD:
                seen.add(("s", c.spelling))
                structs.append(make_struct(ci, c.spelling, under.get_declaration(), types))
        elif c.kind == ck.STRUCT_DECL and c.spelling in want_s and c.is_definition() \
                and ("s", c.spelling) not in seen:
            seen.add(("s", c.spelling))
            structs.append(make_struct(ci, c.spelling, c, types))

    missing = [f"--include-function {n}" for n in sorted(want_f) if ("f", n) not in seen] \
        + [f"--include-struct {n}" for n in sorted(want_s) if ("s", n) not in seen] \
        + [f"--include-constant {n}" for n in sorted(want_c) if ("c", n) not in seen]
    if missing:
        raise GenError("not found in the headers: " + ", ".join(missing))

    # libclang lists preprocessing entities before declarations; jextract emits macros last
    values = parser.evaluate_macros(macro_order)
    resolved = [(kind, d) for kind, d in decls if kind != "macro"]
    for kind, d in decls:
        if kind == "macro":
            name, text = d
            java_type, v = values[name]
            resolved.append(("constant", Constant(name, java_type, v, text)))
    return resolved, structs


def make_function(c, types):
    if c.type.kind == types.ci.TypeKind.FUNCTIONPROTO and c.type.is_function_variadic():
        raise GenError(f"{c.spelling} is variadic: not supported by this generator")
    ret = None if c.result_type.kind == types.ci.TypeKind.VOID else types.map(c.result_type, f"{c.spelling} result")
    params = []
    for i, a in enumerate(c.get_arguments()):
        name = java_name(a.spelling) if a.spelling else f"x{i}"
        layout, carrier = types.map(a.type, f"{c.spelling} parameter {a.spelling or i}", is_param=True)
        params.append((name, layout, carrier, c_decl(a.type.spelling, a.spelling)))
    decl = c_decl(c.result_type.spelling, c.spelling) + "(" + ", ".join(p[3] for p in params) + ")"
    return Function(c.spelling, ret, params, decl)


def make_struct(ci, name, record, types):
    """Struct layout with explicit padding, as jextract's StructLayoutComputer emits it."""
    size = record.type.get_size()
    members, fields, cursor = [], [], 0
    body = []
    for f in record.type.get_fields():
        if f.is_bitfield():
            raise GenError(f"{name}.{f.spelling}: bit fields are not supported by this generator")
        off = record.type.get_offset(f.spelling) // 8
        if off > cursor:
            members.append(f"MemoryLayout.paddingLayout({off - cursor})")
        layout, carrier = types.map(f.type, f"field {name}.{f.spelling}")
        members.append(f'{layout}.withName("{f.spelling}")')
        decl = c_decl(f.type.spelling, f.spelling)
        fields.append((f.spelling, layout, carrier, decl))
        body.append(decl + ";")
        cursor = off + f.type.get_size()
    if size > cursor:
        members.append(f"MemoryLayout.paddingLayout({size - cursor})")
    if record.spelling and "(" not in record.spelling and not record.is_anonymous():
        layout_name, header = record.spelling, f"struct {record.spelling}"
    else:
        loc = record.location
        layout_name, header = f"$anon${loc.line}:{loc.column}", "struct"
    decl = "\n".join([header + " {"] + ["    " + b for b in body] + ["}"])
    return Struct(name, layout_name, members, size, decl, fields)


# ---------------------------------------------------------------- emission

IMPORTS = """import java.lang.invoke.*;
import java.lang.foreign.*;
import java.nio.ByteOrder;
import java.util.*;
import java.util.function.*;
import java.util.stream.*;

import static java.lang.foreign.ValueLayout.*;
import static java.lang.foreign.MemoryLayout.PathElement.*;
"""


def file_header(opts, includes_name):
    sources = ", ".join(h if not os.path.isabs(h) else os.path.basename(h) for h in opts.headers)
    return (f"// Generated by {GENERATOR} (native-bindings/jextract/generate.py, jextract layout). DO NOT EDIT.\n"
            f"// Change native-bindings/jextract/{includes_name} and rerun {GENERATOR} instead.\n"
            f"// Headers: {sources}\n\n"
            f"package {opts.package};\n\n{IMPORTS}")


def snippet(text, indent, title=None):
    pad = " " * indent
    out = [pad + "/**"]
    if title:
        out.append(f"{pad} * {title}")
    out.append(f"{pad} * {{@snippet lang=c :")
    out.extend(f"{pad} * {line}" for line in text.split("\n"))
    out.append(f"{pad} * }}")
    out.append(pad + " */")
    return "\n".join(out) + "\n"


def first_header_preamble(h):
    return f"""
    static final Arena LIBRARY_ARENA = Arena.ofAuto();
    static final boolean TRACE_DOWNCALLS = Boolean.getBoolean("jextract.trace.downcalls");

    static void traceDowncall(String name, Object... args) {{
         String traceArgs = Arrays.stream(args)
                       .map(Object::toString)
                       .collect(Collectors.joining(", "));
         System.out.printf("%s(%s)\\n", name, traceArgs);
    }}

    static MemorySegment findOrThrow(String symbol) {{
        return SYMBOL_LOOKUP.findOrThrow(symbol);
    }}

    static MethodHandle upcallHandle(Class<?> fi, String name, FunctionDescriptor fdesc) {{
        try {{
            return MethodHandles.lookup().findVirtual(fi, name, fdesc.toMethodType());
        }} catch (ReflectiveOperationException ex) {{
            throw new AssertionError(ex);
        }}
    }}

    static MemoryLayout align(MemoryLayout layout, long align) {{
        return switch (layout) {{
            case PaddingLayout p -> p;
            case ValueLayout v -> v.withByteAlignment(align);
            case GroupLayout g -> {{
                MemoryLayout[] alignedMembers = g.memberLayouts().stream()
                        .map(m -> align(m, align)).toArray(MemoryLayout[]::new);
                yield g instanceof StructLayout ?
                        MemoryLayout.structLayout(alignedMembers) : MemoryLayout.unionLayout(alignedMembers);
            }}
            case SequenceLayout s -> MemoryLayout.sequenceLayout(s.elementCount(), align(s.elementLayout(), align));
        }};
    }}

    static final SymbolLookup SYMBOL_LOOKUP = SymbolLookup.loaderLookup()
            .or(Linker.nativeLinker().defaultLookup());

    public static final ValueLayout.OfBoolean C_BOOL = ValueLayout.JAVA_BOOLEAN;
    public static final ValueLayout.OfByte C_CHAR = ValueLayout.JAVA_BYTE;
    public static final ValueLayout.OfShort C_SHORT = ValueLayout.JAVA_SHORT;
    public static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    public static final ValueLayout.OfLong C_LONG_LONG = ValueLayout.JAVA_LONG;
    public static final ValueLayout.OfFloat C_FLOAT = ValueLayout.JAVA_FLOAT;
    public static final ValueLayout.OfDouble C_DOUBLE = ValueLayout.JAVA_DOUBLE;
    public static final AddressLayout C_POINTER = ValueLayout.ADDRESS
            .withTargetLayout(MemoryLayout.sequenceLayout(java.lang.Long.MAX_VALUE, JAVA_BYTE));
    public static final ValueLayout.OfLong C_LONG = ValueLayout.JAVA_LONG;
"""


def emit_constant(c):
    if c.java_type == "int":
        init = f"(int){c.value}L"
    else:
        init = f"{c.value}L"
    return (f"    private static final {c.java_type} {c.name} = {init};\n"
            + snippet(c.c_decl, 4)
            + f"    public static {c.java_type} {c.name}() {{\n"
            f"        return {c.name};\n"
            f"    }}\n")


def emit_function(f):
    layouts = ([f.ret[0]] if f.ret else []) + [p[1] for p in f.params]
    factory = "of" if f.ret else "ofVoid"
    if layouts:
        desc = f"FunctionDescriptor.{factory}(\n" + ",\n".join("            " + l for l in layouts) + "\n        )"
    else:
        desc = f"FunctionDescriptor.{factory}()"
    ret_type = f.ret[1] if f.ret else "void"
    names = [p[0] for p in f.params]
    sig = ", ".join(f"{p[2]} {p[0]}" for p in f.params)
    args = ", ".join(names)
    trace_args = f'"{f.name}"' + (", " + args if args else "")
    call = f"return ({ret_type}) mh$.invokeExact({args});" if f.ret else f"mh$.invokeExact({args});"
    return f"""
    private static class {f.name} {{
        public static final FunctionDescriptor DESC = {desc};

        public static final MemorySegment ADDR = SYMBOL_LOOKUP.findOrThrow("{f.name}");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }}

{snippet(f.c_decl, 4, "Function descriptor for:")}    public static FunctionDescriptor {f.name}$descriptor() {{
        return {f.name}.DESC;
    }}

{snippet(f.c_decl, 4, "Downcall method handle for:")}    public static MethodHandle {f.name}$handle() {{
        return {f.name}.HANDLE;
    }}

{snippet(f.c_decl, 4, "Address for:")}    public static MemorySegment {f.name}$address() {{
        return {f.name}.ADDR;
    }}

{snippet(f.c_decl, 4)}    public static {ret_type} {f.name}({sig}) {{
        var mh$ = {f.name}.HANDLE;
        try {{
            if (TRACE_DOWNCALLS) {{
                traceDowncall({trace_args});
            }}
            {call}
        }} catch (Error | RuntimeException ex) {{
            throw ex;
        }} catch (Throwable ex$) {{
            throw new AssertionError("should not reach here", ex$);
        }}
    }}
"""


def emit_headers(opts, decls, includes_name):
    """Splits declarations into a superclass chain like jextract: h_N <- ... <- h_1 <- h."""
    h = opts.header_class
    chunks = [decls[i:i + DECLS_PER_HEADER_CLASS] for i in range(0, len(decls), DECLS_PER_HEADER_CLASS)] or [[]]
    total = len(chunks)
    files = {}
    for i, chunk in enumerate(chunks):
        is_main = i == total - 1
        suffix = "" if is_main else f"_{total - i - 1}"
        cls = h + suffix
        sup = None if i == 0 else f"{h}_{total - i}"
        decl = ("public class " if is_main else "class ") + cls + (f" extends {sup}" if sup else "")
        body = [file_header(opts, includes_name), "\n", decl, " {\n\n",
                f"    {cls}() {{\n        // Should not be called directly\n    }}\n"]
        if i == 0:
            body.append(first_header_preamble(h))
        for kind, d in chunk:
            body.append(emit_constant(d) if kind == "constant" else emit_function(d))
        body.append("}\n")
        files[cls + ".java"] = "".join(body)
    return files


def emit_struct(opts, s, includes_name):
    n = s.name
    out = [file_header(opts, includes_name), "\n", snippet(s.c_decl, 0),
           f"public class {n} {{\n\n"
           f"    {n}() {{\n        // Should not be called directly\n    }}\n\n"
           f"    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(\n"
           + ",\n".join("        " + m for m in s.members)
           + f'\n    ).withName("{s.layout_name}");\n\n'
           "    /**\n     * The layout of this struct\n     */\n"
           "    public static final GroupLayout layout() {\n        return $LAYOUT;\n    }\n\n"
           "    /**\n     * The layout of this struct (jextract 21 spelling of {@link #layout()})\n     */\n"
           "    public static final GroupLayout $LAYOUT() {\n        return $LAYOUT;\n    }\n"]
    for fname, layout, carrier, decl in s.fields:
        ltype = {"MemorySegment": "AddressLayout", "int": "OfInt", "long": "OfLong", "float": "OfFloat",
                 "double": "OfDouble", "short": "OfShort", "byte": "OfByte", "boolean": "OfBoolean"}[carrier]
        out.append(f"""
    private static final {ltype} {fname}$LAYOUT = ({ltype})$LAYOUT.select(groupElement("{fname}"));

{snippet(decl, 4, "Layout for field:")}    public static final {ltype} {fname}$layout() {{
        return {fname}$LAYOUT;
    }}

    private static final long {fname}$OFFSET = $LAYOUT.byteOffset(groupElement("{fname}"));

{snippet(decl, 4, "Offset for field:")}    public static final long {fname}$offset() {{
        return {fname}$OFFSET;
    }}

{snippet(decl, 4, "Getter for field:")}    public static {carrier} {fname}(MemorySegment struct) {{
        return struct.get({fname}$LAYOUT, {fname}$OFFSET);
    }}

{snippet(decl, 4, "Setter for field:")}    public static void {fname}(MemorySegment struct, {carrier} fieldValue) {{
        struct.set({fname}$LAYOUT, {fname}$OFFSET, fieldValue);
    }}
""")
    out.append("""
    /**
     * Obtains a slice of {@code arrayParam} which selects the array element at {@code index}.
     * The returned segment has address {@code arrayParam.address() + index * layout().byteSize()}
     */
    public static MemorySegment asSlice(MemorySegment array, long index) {
        return array.asSlice(layout().byteSize() * index);
    }

    /**
     * The size (in bytes) of this struct
     */
    public static long sizeof() { return layout().byteSize(); }

    /**
     * Allocate a segment of size {@code layout().byteSize()} using {@code allocator}
     */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate(layout());
    }

    /**
     * Allocate an array of size {@code elementCount} using {@code allocator}.
     * The returned segment has size {@code elementCount * layout().byteSize()}.
     */
    public static MemorySegment allocateArray(long elementCount, SegmentAllocator allocator) {
        return allocator.allocate(MemoryLayout.sequenceLayout(elementCount, layout()));
    }

    /**
     * Reinterprets {@code addr} using target {@code arena} and {@code cleanupAction} (if any).
     * The returned segment has size {@code layout().byteSize()}
     */
    public static MemorySegment reinterpret(MemorySegment addr, Arena arena, Consumer<MemorySegment> cleanup) {
        return reinterpret(addr, 1, arena, cleanup);
    }

    /**
     * Reinterprets {@code addr} using target {@code arena} and {@code cleanupAction} (if any).
     * The returned segment has size {@code elementCount * layout().byteSize()}
     */
    public static MemorySegment reinterpret(MemorySegment addr, long elementCount, Arena arena, Consumer<MemorySegment> cleanup) {
        return addr.reinterpret(layout().byteSize() * elementCount, arena, cleanup);
    }
}
""")
    return "".join(out)


# ---------------------------------------------------------------- dump-includes

def dump_includes(ci, opts):
    """Writes every supported declaration as an include line, like jextract --dump-includes."""
    parser = Parser(ci, opts)
    tu = parser.parse()
    ck = ci.CursorKind
    by_file = {}
    for c in parser.top_level(tu):
        f = os.path.basename(c.location.file.name)
        lines = by_file.setdefault(f, [])
        if c.kind == ck.FUNCTION_DECL:
            lines.append(f"--include-function {c.spelling}")
        elif c.kind == ck.ENUM_DECL:
            lines.extend(f"--include-constant {e.spelling}" for e in c.get_children()
                         if e.kind == ck.ENUM_CONSTANT_DECL)
        elif c.kind == ck.MACRO_DEFINITION and not parser.is_function_like(c) \
                and not c.spelling.startswith("_") and len(list(c.get_tokens())) > 1:
            lines.append(f"--include-constant {c.spelling}")
        elif c.kind == ck.TYPEDEF_DECL and c.underlying_typedef_type.get_canonical().kind == ci.TypeKind.RECORD:
            lines.append(f"--include-struct {c.spelling}")
    with open(opts.dump_includes, "w", encoding="utf-8") as out:
        for f, lines in by_file.items():
            if lines:
                out.write(f"#### Extracted from: {f}\n\n")
                out.write("".join(f"{l:<60}# header: {f}\n" for l in dict.fromkeys(lines)))
                out.write("\n")


# ---------------------------------------------------------------- main

def write_files(opts, files):
    pkg_dir = os.path.join(opts.output, *opts.package.split(".")) if opts.package else opts.output
    os.makedirs(pkg_dir, exist_ok=True)
    for name, text in sorted(files.items()):
        with open(os.path.join(pkg_dir, name), "w", encoding="utf-8", newline="\n") as f:
            f.write(text)


def main(argv):
    try:
        opts = parse_args(argv)
        includes_name = next((os.path.basename(a[1:]) for a in argv if a.startswith("@")), "includes")
        ci = load_clang()
        if opts.dump_includes:
            dump_includes(ci, opts)
            return 0
        decls, structs = collect(ci, opts)
        files = emit_headers(opts, decls, includes_name)
        for s in structs:
            files[s.name + ".java"] = emit_struct(opts, s, includes_name)
        write_files(opts, files)
        return 0
    except GenError as e:
        sys.stderr.write(f"generate.py: {e}\n")
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
