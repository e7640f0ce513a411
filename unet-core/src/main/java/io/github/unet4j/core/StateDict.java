package io.github.unet4j.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A network's tensors by name, as PyTorch's {@code state_dict}: the trainable parameters
 * ({@code inc.conv1.weight}) and the buffers ({@code inc.bn1.running_mean}), checked and copied
 * in bit for bit.
 */
public final class StateDict {
    private StateDict() {
    }

    /**
     * @param parameters the network's parameters
     * @param buffers    its buffers
     * @return every parameter, then every buffer, by name: the live arrays, not copies
     */
    public static Map<String, INDArray> of(List<Parameter> parameters,
            List<Buffer> buffers) {
        Map<String, INDArray> m = new LinkedHashMap<>();
        parameters.forEach(p -> m.put(p.name(), p.value()));
        buffers.forEach(b -> m.put(b.name(), b.value()));
        return m;
    }

    /**
     * Checks that stored tensors are exactly the network's: every name present with the same
     * shape, nothing extra.
     *
     * @param parameters       the network's parameters
     * @param buffers          its buffers
     * @param storedParameters parameter tensors by name
     * @param storedBuffers    buffer tensors by name
     * @param where            the source, first in messages ({@code checkpoint model.zip})
     * @throws IllegalArgumentException naming the source and the first mismatch, e.g.
     *     {@code checkpoint x.zip: parameter inc.conv1.weight has shape [32, 1, 3, 3] but the
     *     network expects [64, 1, 3, 3]}
     */
    public static void check(List<Parameter> parameters, List<Buffer> buffers, Map<String, INDArray> storedParameters,
            Map<String, INDArray> storedBuffers, String where) {
        check(where, "parameter", parameters.stream().map(Parameter::name).toList(),
                parameters.stream().map(Parameter::shape).toList(), storedParameters);
        check(where, "buffer", buffers.stream().map(Buffer::name).toList(),
                buffers.stream().map(b -> b.value().shape()).toList(), storedBuffers);
    }

    /**
     * Copies checked tensors in ({@link #check} first), converting to the network's data type.
     *
     * @param parameters       the network's parameters
     * @param buffers          its buffers
     * @param storedParameters parameter tensors by name
     * @param storedBuffers    buffer tensors by name
     */
    public static void copy(List<Parameter> parameters, List<Buffer> buffers, Map<String, INDArray> storedParameters,
            Map<String, INDArray> storedBuffers) {
        for (Parameter p : parameters) {
            p.value().assign(storedParameters.get(p.name()));
        }
        for (Buffer b : buffers) {
            b.value().assign(storedBuffers.get(b.name()));
        }
    }

    /**
     * Splits a state dict into parameters and buffers by the network's names, checks it
     * ({@link #check}: a name of neither kind is an extra parameter) and copies it in; on a
     * mismatch nothing changes.
     *
     * @param parameters the network's parameters
     * @param buffers    its buffers
     * @param state      tensors by name
     * @param where      the source, first in messages
     */
    public static void load(List<Parameter> parameters, List<Buffer> buffers,
            Map<String, INDArray> state, String where) {
        List<String> bufferNames = buffers.stream().map(Buffer::name).toList();
        Map<String, INDArray> ps = new LinkedHashMap<>();
        Map<String, INDArray> bs = new LinkedHashMap<>();
        state.forEach((k, v) -> (bufferNames.contains(k) ? bs : ps).put(k, v));
        check(parameters, buffers, ps, bs, where);
        copy(parameters, buffers, ps, bs);
    }

    private static void check(String where, String what, List<String> names, List<long[]> shapes,
            Map<String, INDArray> stored) {
        for (int i = 0; i < names.size(); i++) {
            INDArray found = stored.get(names.get(i));
            if (found == null) {
                throw new IllegalArgumentException(where + ": " + what + " " + names.get(i)
                        + " is missing (the network expects shape " + Arrays.toString(shapes.get(i)) + ")");
            }
            if (!Arrays.equals(found.shape(), shapes.get(i))) {
                throw new IllegalArgumentException(where + ": " + what + " " + names.get(i) + " has shape "
                        + Arrays.toString(found.shape()) + " but the network expects " + Arrays.toString(shapes.get(i)));
            }
        }
        List<String> extra = new ArrayList<>(stored.keySet());
        extra.removeAll(names);
        if (!extra.isEmpty()) {
            throw new IllegalArgumentException(where + ": " + what + " " + extra.get(0) + " (shape "
                    + Arrays.toString(stored.get(extra.get(0)).shape()) + ") does not exist in the network");
        }
    }
}
