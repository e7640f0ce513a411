package io.github.unet4j.train.listeners;

import io.github.unet4j.train.StepResult;
import io.github.unet4j.train.TrainingListener;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Keeps every step's result and every validation, for a CSV log or a plot. */
public final class TrainingHistory implements TrainingListener {
    private final List<StepResult> steps = new ArrayList<>();
    private final Map<Long, Map<String, Double>> validations = new LinkedHashMap<>();

    @Override
    public void onStep(StepResult r) {
        steps.add(r);
    }

    @Override
    public void onValidation(long step, Map<String, Double> metrics) {
        validations.put(step, Collections.unmodifiableMap(new LinkedHashMap<>(metrics)));
    }

    /** @return the steps' results, in order */
    public List<StepResult> steps() {
        return Collections.unmodifiableList(steps);
    }

    /** @return the validations' metrics by step, in order */
    public Map<Long, Map<String, Double>> validations() {
        return Collections.unmodifiableMap(validations);
    }

    /** @return CSV: step, loss, learning rate, seconds, then the validation metrics where measured */
    public String csv() {
        List<String> keys = validations.values().stream().findFirst().map(m -> List.copyOf(m.keySet()))
                .orElse(List.of());
        StringBuilder sb = new StringBuilder("step,loss,learning_rate,seconds");
        keys.forEach(k -> sb.append(',').append(k));
        sb.append('\n');
        for (StepResult r : steps) {
            sb.append(r.step()).append(',').append(r.loss()).append(',').append(r.learningRate()).append(',')
                    .append(String.format(Locale.ROOT, "%.4f", r.seconds()));
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
