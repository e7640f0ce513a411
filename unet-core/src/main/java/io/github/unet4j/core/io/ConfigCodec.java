package io.github.unet4j.core.io;

import io.github.unet4j.core.Padding;
import io.github.unet4j.core.UNetConfig;
import io.github.unet4j.core.Upsampling;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * A {@link UNetConfig} to and from the {@code config} object of a checkpoint's
 * {@code config.json}, and the differences between two configurations: each field is listed once,
 * in {@link #FIELDS}.
 */
public final class ConfigCodec {

    /** A JSON kind of field value. */
    private enum Kind {
        INT, BOOLEAN, NUMBER, PADDING, UPSAMPLING
    }

    /**
     * One field: its JSON name and kind, how to read it from a configuration and how to set it.
     */
    private record Field(String name, Kind kind, Function<UNetConfig, Object> get,
            BiFunction<UNetConfig, Object, UNetConfig> set) {
    }

    private static final List<Field> FIELDS = List.of(
            new Field("inChannels", Kind.INT, UNetConfig::inChannels, (c, v) -> c.withInChannels((Integer) v)),
            new Field("classes", Kind.INT, UNetConfig::classes, (c, v) -> c.withClasses((Integer) v)),
            new Field("depth", Kind.INT, UNetConfig::depth, (c, v) -> c.withDepth((Integer) v)),
            new Field("baseChannels", Kind.INT, UNetConfig::baseChannels, (c, v) -> c.withBaseChannels((Integer) v)),
            new Field("padding", Kind.PADDING, UNetConfig::padding, (c, v) -> c.withPadding((Padding) v)),
            new Field("batchNorm", Kind.BOOLEAN, UNetConfig::batchNorm, (c, v) -> c.withBatchNorm((Boolean) v)),
            new Field("dropout", Kind.NUMBER, UNetConfig::dropout, (c, v) -> c.withDropout((Double) v)),
            new Field("upsampling", Kind.UPSAMPLING, UNetConfig::upsampling,
                    (c, v) -> c.withUpsampling((Upsampling) v)));

    private ConfigCodec() {
    }

    /**
     * @param config a configuration
     * @param into   the JSON object to write its fields into
     */
    public static void write(UNetConfig config, ObjectNode into) {
        for (Field f : FIELDS) {
            Object v = f.get().apply(config);
            switch (f.kind()) {
                case INT -> into.put(f.name(), (Integer) v);
                case BOOLEAN -> into.put(f.name(), (Boolean) v);
                case NUMBER -> into.put(f.name(), (Double) v);
                default -> into.put(f.name(), ((Enum<?>) v).name());
            }
        }
    }

    /**
     * @param node the {@code config} object
     * @return the configuration
     * @throws IllegalArgumentException naming the first field that is missing, of the wrong kind
     *                                  or invalid
     */
    public static UNetConfig read(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("config object is missing");
        }
        UNetConfig c = UNetConfig.paper();
        for (Field f : FIELDS) {
            c = f.set().apply(c, value(f, node.path(f.name())));
        }
        return c;
    }

    private static Object value(Field f, JsonNode v) {
        String bad = "field " + f.name() + " is missing or not ";
        return switch (f.kind()) {
            case INT -> {
                if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                    throw new IllegalArgumentException(bad + "an integer");
                }
                yield v.asInt();
            }
            case BOOLEAN -> {
                if (!v.isBoolean()) {
                    throw new IllegalArgumentException(bad + "a boolean");
                }
                yield v.asBoolean();
            }
            case NUMBER -> {
                if (!v.isNumber()) {
                    throw new IllegalArgumentException(bad + "a number");
                }
                yield v.asDouble();
            }
            case PADDING -> enumValue(f, v, Padding.class);
            case UPSAMPLING -> enumValue(f, v, Upsampling.class);
        };
    }

    private static <E extends Enum<E>> E enumValue(Field f, JsonNode v, Class<E> type) {
        String s = v.asText("");
        try {
            return Enum.valueOf(type, s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("field " + f.name() + " is '" + s + "', expected one of "
                    + Arrays.toString(type.getEnumConstants()), e);
        }
    }

    /**
     * @param file    the configuration stored in a file
     * @param network a network's configuration
     * @return the fields that differ, e.g. {@code baseChannels 16 in the file, 64 in the network}
     */
    public static String difference(UNetConfig file, UNetConfig network) {
        List<String> diffs = new ArrayList<>();
        for (Field f : FIELDS) {
            Object a = f.get().apply(file);
            Object b = f.get().apply(network);
            if (!a.equals(b)) {
                diffs.add(f.name() + " " + a + " in the file, " + b + " in the network");
            }
        }
        return String.join(", ", diffs);
    }
}
