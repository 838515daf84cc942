package dev.affect.server.schedule;

import dev.affect.engine.model.ddamfn.Ddamfn;
import java.util.List;
import java.util.Objects;

/** A loaded model under the name clients select it by. */
public record ServedModel(String name, Ddamfn model) {
    public ServedModel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(model, "model");
    }

    public int numClass() {
        return model.config().numClass();
    }

    public int numHead() {
        return model.config().numHead();
    }

    /** In logit order. */
    public List<String> classNames() {
        return model.config().classNames();
    }

    /** The backend's name (cpu, reference, cuda). */
    public String backend() {
        return model.backend().name();
    }
}
