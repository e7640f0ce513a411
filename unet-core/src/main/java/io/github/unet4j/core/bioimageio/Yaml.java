package io.github.unet4j.core.bioimageio;

import java.util.List;
import java.util.Map;

/**
 * Writes nested maps, lists, strings, numbers and booleans as block YAML. Every string is double
 * quoted with JSON's escapes (a YAML 1.2 double-quoted scalar), so no value can be read back as
 * another type ("yes", "0.5", "null" stay strings); keys are plain identifiers. Enough for an
 * {@code rdf.yaml}, without a YAML library in the module that segments.
 */
final class Yaml {
    private Yaml() {
    }

    /**
     * @param root a map of String keys to values: Map, List, String, Number, Boolean
     * @return the YAML text, ending in a newline
     */
    static String write(Map<String, ?> root) {
        StringBuilder out = new StringBuilder();
        map(out, root, 0);
        return out.toString();
    }

    private static void map(StringBuilder out, Map<String, ?> m, int indent) {
        for (Map.Entry<String, ?> e : m.entrySet()) {
            if (!e.getKey().matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("YAML: key '" + e.getKey() + "' is not a plain identifier");
            }
            out.append(" ".repeat(indent)).append(e.getKey()).append(':');
            value(out, e.getValue(), indent);
        }
    }

    private static void value(StringBuilder out, Object v, int indent) {
        if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                out.append(" {}\n");
                return;
            }
            out.append('\n');
            @SuppressWarnings("unchecked")
            Map<String, ?> typed = (Map<String, ?>) m;
            map(out, typed, indent + 2);
        } else if (v instanceof List<?> list) {
            if (list.isEmpty()) {
                out.append(" []\n");
                return;
            }
            out.append('\n');
            for (Object item : list) {
                out.append(" ".repeat(indent + 2)).append('-');
                if (item instanceof Map<?, ?> m && !m.isEmpty()) {
                    // The first key on the dash's line, the rest under it.
                    StringBuilder inner = new StringBuilder();
                    @SuppressWarnings("unchecked")
                    Map<String, ?> typed = (Map<String, ?>) m;
                    map(inner, typed, indent + 4);
                    out.append(' ').append(inner.substring(indent + 4));
                } else {
                    value(out, item, indent + 2);
                }
            }
        } else {
            out.append(' ').append(scalar(v)).append('\n');
        }
    }

    private static String scalar(Object v) {
        if (v instanceof String s) {
            return quote(s);
        }
        if (v instanceof Double d && !Double.isFinite(d) || v instanceof Float f && !Float.isFinite(f)) {
            throw new IllegalArgumentException("YAML: " + v + " is not a finite number");
        }
        if (v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        throw new IllegalArgumentException("YAML: cannot write a " + (v == null ? "null" : v.getClass().getSimpleName()));
    }

    static String quote(String s) {
        StringBuilder q = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\t' -> q.append("\\t");
                case '\r' -> q.append("\\r");
                default -> {
                    if (c < 0x20) {
                        q.append(String.format("\\u%04x", (int) c));
                    } else {
                        q.append(c);
                    }
                }
            }
        }
        return q.append('"').toString();
    }
}
