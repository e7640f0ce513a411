package io.github.unet4j.core.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The NumPy {@code .npy} format (version 1.0 written; 1.0, 2.0 and 3.0 read) for float32,
 * float64, int32 and int64 tensors.
 *
 * <p>Writes little-endian C-order data with a header padded so that the data starts at a
 * multiple of 64 bytes, as NumPy does. Reads either byte order and C or Fortran order.
 * Values are copied bit for bit.
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=]?)([fi])(\\d+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /** Thrown for bytes that are not a supported .npy; the message says what is wrong. */
    public static final class FormatException extends Exception {
        private static final long serialVersionUID = 1L;

        FormatException(String message) {
            super(message);
        }
    }

    /**
     * @param array any tensor of a supported type
     * @return its .npy bytes
     * @throws IllegalArgumentException for an unsupported data type
     */
    // INT and LONG are deprecated names of INT32 and INT64 (the same constants), but only the
    // enum constants themselves can be switch labels.
    @SuppressWarnings("deprecation")
    public static byte[] write(INDArray array) {
        String descr = switch (array.dataType()) {
            case FLOAT -> "<f4";
            case DOUBLE -> "<f8";
            case INT -> "<i4";
            case LONG -> "<i8";
            default -> throw new IllegalArgumentException(".npy: data type " + array.dataType()
                    + " is not supported (float32, float64, int32, int64 are)");
        };
        long[] shape = array.shape();
        StringBuilder dims = new StringBuilder();
        for (long d : shape) {
            dims.append(d).append(", ");
        }
        if (shape.length > 1) {
            dims.setLength(dims.length() - 2);
        } else if (shape.length == 1) {
            dims.setLength(dims.length() - 1);
        }
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims + "), }";
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int total = (unpadded + 63) / 64 * 64;
        String header = dict + " ".repeat(total - unpadded) + "\n";
        if (header.length() > 0xFFFF) {
            throw new IllegalArgumentException(".npy: shape " + Arrays.toString(shape) + " has too many dimensions");
        }
        long n = array.length();
        int itemSize = array.dataType().width();
        long bytes = total + n * itemSize;
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(".npy: a tensor of " + n + " values is too large for one entry (2 GB)");
        }
        ByteBuffer out = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        out.put(header.getBytes(StandardCharsets.US_ASCII));
        INDArray c = array.isView() || array.ordering() != 'c' || array.data().length() != n ? array.dup('c') : array;
        switch (array.dataType()) {
            case FLOAT -> out.asFloatBuffer().put(c.data().asFloat(), 0, (int) n);
            case DOUBLE -> out.asDoubleBuffer().put(c.data().asDouble(), 0, (int) n);
            case INT -> out.asIntBuffer().put(c.data().asInt(), 0, (int) n);
            default -> out.asLongBuffer().put(c.data().asLong(), 0, (int) n);
        }
        return out.array();
    }

    /**
     * @param bytes the contents of a .npy file
     * @return the tensor, C order
     * @throws FormatException if the bytes are not a supported .npy
     */
    @SuppressWarnings("deprecation") // switch labels INT and LONG, see write
    public static INDArray read(byte[] bytes) throws FormatException {
        if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            throw new FormatException("not a .npy (no \\x93NUMPY magic)");
        }
        int major = bytes[6];
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        in.position(8);
        long headerLength;
        if (major == 1) {
            headerLength = Short.toUnsignedInt(in.getShort());
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) {
                throw new FormatException("truncated header");
            }
            headerLength = Integer.toUnsignedLong(in.getInt());
        } else {
            throw new FormatException("version " + major + "." + bytes[7] + " is not supported (1.0 to 3.0 are)");
        }
        if (in.position() + headerLength > bytes.length) {
            throw new FormatException("truncated header");
        }
        String header = new String(bytes, in.position(), (int) headerLength,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        in.position(in.position() + (int) headerLength);
        Matcher descr = DESCR.matcher(header);
        Matcher fortran = FORTRAN.matcher(header);
        Matcher shapeM = SHAPE.matcher(header);
        if (!descr.find()) {
            throw new FormatException("unsupported or missing dtype in header " + header.strip()
                    + " (float32, float64, int32, int64 are supported)");
        }
        if (!fortran.find() || !shapeM.find()) {
            throw new FormatException("header without fortran_order or shape: " + header.strip());
        }
        String order = descr.group(1);
        char kind = descr.group(2).charAt(0);
        int size = Integer.parseInt(descr.group(3));
        DataType type;
        if (kind == 'f' && size == 4) {
            type = DataType.FLOAT;
        } else if (kind == 'f' && size == 8) {
            type = DataType.DOUBLE;
        } else if (kind == 'i' && size == 4) {
            type = DataType.INT32;
        } else if (kind == 'i' && size == 8) {
            type = DataType.INT64;
        } else {
            throw new FormatException("dtype " + order + kind + size + " is not supported (float32, float64, int32,"
                    + " int64 are)");
        }
        in.order(">".equals(order) ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        long[] shape = parseShape(shapeM.group(1));
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        if (in.remaining() != n * size) {
            throw new FormatException("shape " + Arrays.toString(shape) + " needs " + n * size + " data bytes but there are "
                    + in.remaining() + (in.remaining() < n * size ? " (truncated)" : ""));
        }
        char ordering = "True".equals(fortran.group(1)) ? 'f' : 'c';
        int count = (int) n;
        INDArray flat = switch (type) {
            case FLOAT -> {
                float[] a = new float[count];
                in.asFloatBuffer().get(a);
                yield Nd4j.createFromArray(a);
            }
            case DOUBLE -> {
                double[] a = new double[count];
                in.asDoubleBuffer().get(a);
                yield Nd4j.createFromArray(a);
            }
            case INT -> {
                int[] a = new int[count];
                in.asIntBuffer().get(a);
                yield Nd4j.createFromArray(a);
            }
            default -> {
                long[] a = new long[count];
                in.asLongBuffer().get(a);
                yield Nd4j.createFromArray(a);
            }
        };
        if (shape.length == 1) {
            return flat;
        }
        if (shape.length == 0) {
            return flat.reshape(new long[0]);
        }
        if (n == 0) {
            return Nd4j.create(type, shape);
        }
        return flat.reshape(ordering, shape).dup('c');
    }

    private static long[] parseShape(String text) throws FormatException {
        String[] parts = text.split(",");
        long[] dims = new long[parts.length];
        int rank = 0;
        for (String part : parts) {
            String s = part.strip();
            if (s.isEmpty()) {
                continue;
            }
            if (s.endsWith("L")) {
                s = s.substring(0, s.length() - 1);
            }
            try {
                dims[rank] = Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw new FormatException("bad shape (" + text + ")");
            }
            if (dims[rank] < 0) {
                throw new FormatException("bad shape (" + text + ")");
            }
            rank++;
        }
        return Arrays.copyOf(dims, rank);
    }
}
