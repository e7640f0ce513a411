package io.github.unet4j.core.runtime;

import java.util.function.Supplier;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs a unit of work (a training step, an inference batch, one parameter's update) inside an
 * ND4J workspace, so that its small temporary arrays come from one buffer reused every time
 * instead of fresh off-heap memory that is freed only when the garbage collector runs. The
 * network's own arrays do not go there: {@code UNet} runs outside any workspace and frees them
 * itself as they die (see {@code core.BufferPool}), which a workspace cannot do before its end.
 *
 * <p>Everything created inside is invalid afterwards: results must be read out (to Java values
 * or arrays) before returning, and long-lived arrays (parameters, gradients, optimiser state,
 * batch-norm statistics) must be created outside, as they are.
 */
public final class Workspaces {
    private static final WorkspaceConfiguration CONFIG = WorkspaceConfiguration.builder()
            .initialSize(0)
            .policyAllocation(AllocationPolicy.STRICT)
            .policyLearning(LearningPolicy.FIRST_LOOP)
            .policyReset(ResetPolicy.BLOCK_LEFT)
            .policySpill(SpillPolicy.REALLOCATE)
            .build();

    private Workspaces() {
    }

    /**
     * @param id   the workspace's name; one per kind of work, as its size is learnt from the first use
     * @param work the work; must not return an array created inside
     * @param <T>  a result that does not reference workspace memory
     * @return the work's result
     */
    public static <T> T run(String id, Supplier<T> work) {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(CONFIG, id)) {
            return work.get();
        }
    }
}
