package io.github.unet4j.examples.cli;

import io.github.unet4j.train.StepResult;
import io.github.unet4j.train.TrainingListener;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Keeps the loss of every step and each validation, for the CSV log and the plot. */
final class TrainingLog implements TrainingListener {
    final List<StepResult> steps = new ArrayList<>();
    final Map<Long, Map<String, Double>> validations = new LinkedHashMap<>();

    @Override
    public void onStep(StepResult r) {
        steps.add(r);
    }

    @Override
    public void onValidation(long step, Map<String, Double> metrics) {
        validations.put(step, new LinkedHashMap<>(metrics));
    }

    /** @return CSV: step, loss, learning rate, seconds, then the validation metrics where measured */
    String csv() {
        List<String> keys = validations.values().stream().findFirst().map(m -> List.copyOf(m.keySet()))
                .orElse(List.of());
        StringBuilder sb = new StringBuilder("step,loss,learning_rate,seconds");
        keys.forEach(k -> sb.append(',').append(k));
        sb.append('\n');
        for (StepResult r : steps) {
            sb.append(r.step()).append(',').append(r.loss()).append(',').append(r.learningRate()).append(',')
                    .append(String.format("%.4f", r.seconds()));
            Map<String, Double> v = validations.get(r.step());
            for (String k : keys) {
                sb.append(',');
                if (v != null && v.containsKey(k)) {
                    sb.append(v.get(k));
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
