package io.github.unet4j.examples.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One ONNX model in an ONNX Runtime session on the CPU: a float32 tensor in, the first output
 * out, as ND4J arrays.
 */
public final class OrtModel implements AutoCloseable {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final String input;

    /**
     * @param model   the serialised model
     * @param threads intra-op threads (0: ONNX Runtime's default, one per core)
     * @throws IllegalArgumentException if ONNX Runtime cannot load the model, with its reason
     */
    public OrtModel(byte[] model, int threads) {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            if (threads > 0) {
                options.setIntraOpNumThreads(threads);
            }
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            // Its threads would otherwise spin after each run and slow ND4J's in the same process.
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            session = env.createSession(model, options);
            input = session.getInputNames().iterator().next();
        } catch (OrtException e) {
            throw new IllegalArgumentException("ONNX Runtime cannot load the model: " + e.getMessage(), e);
        }
    }

    /** @return the graph's (first) input's name */
    public String inputName() {
        return input;
    }

    /**
     * @param x the input, any float type (sent as float32)
     * @return the first output, float32, C order
     * @throws IllegalArgumentException if ONNX Runtime refuses the input (a wrong shape, say)
     */
    public INDArray run(INDArray x) {
        float[] data = x.castTo(DataType.FLOAT).dup('c').data().asFloat();
        try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), x.shape());
                OrtSession.Result r = session.run(Map.of(input, in))) {
            OnnxTensor out = (OnnxTensor) r.get(0);
            FloatBuffer fb = out.getFloatBuffer();
            float[] values = new float[fb.remaining()];
            fb.get(values);
            return Nd4j.create(values, out.getInfo().getShape(), 'c');
        } catch (OrtException e) {
            throw new IllegalArgumentException("ONNX Runtime: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime: could not close the session: " + e.getMessage(), e);
        }
    }
}
