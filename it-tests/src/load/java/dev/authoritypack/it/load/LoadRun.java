package dev.authoritypack.it.load;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.authoritypack.it.support.ApiTraffic;
import dev.authoritypack.it.support.Http;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The full load-and-fault run, {@code ./mvnw verify -Pload} ({@code docs/load.md}): two production nodes behind
 * HAProxy, minutes of mixed traffic with a SIGKILL and a rolling restart of both nodes ({@link LoadScenario}), then
 * one node against two at rising concurrency ({@link Scaling}), and with {@code -Dload.cost=true} the cost of
 * requests as a user's sessions and the realm's users grow ({@link Cost}). Figures are printed and written to
 * {@code target/load.json}; every invariant of the scenario is asserted. Only loopback traffic; it stops by itself.
 *
 * <p>Settings ({@code -D}): {@code load.before.seconds} (60), {@code load.between.seconds} (40), {@code
 * load.after.seconds} (40), {@code load.period.ms} (each virtual user's round, 2000), {@code load.scale} (users of each
 * kind, 2), {@code load.scaling.seconds} (per step, 15; 0 skips), {@code load.cost} (false), {@code
 * load.cost.sessions} (10000), {@code load.cost.users} (100000), {@code load.cost.import.minutes} (15), {@code
 * load.scenario} (true; {@code false} skips the fault scenario, to measure only the scaling or the cost).
 */
@ExtendWith(ApiTraffic.class)
class LoadRun {

    @Test
    void fullRun() throws Exception {
        LoadRig.assumeLoadRunPossible();
        int scale = Integer.getInteger("load.scale", 2);
        ObjectNode out = Http.JSON.createObjectNode();
        out.put("cores", Runtime.getRuntime().availableProcessors());
        out.put("load_average_at_start", loadAverage());
        Path file = Path.of(System.getProperty("it.log.dir", "target")).resolve("load.json");
        try (LoadRig rig = LoadRig.start("load")) {
            LoadScenario scenario = new LoadScenario(rig);
            if (!"false".equals(System.getProperty("load.scenario"))) {
                scenario.run(Traffic.Mix.ofScale(scale, Duration.ofMillis(Long.getLong("load.period.ms", 2000))),
                        new LoadScenario.Plan(seconds("load.before.seconds", 60), seconds("load.between.seconds", 40),
                                seconds("load.after.seconds", 40), List.of(0, 1), 30));
                out.set("scenario", scenario.report());
                out.put("load_average_after_scenario", loadAverage());
                write(file, out);
            }

            long step = Long.getLong("load.scaling.seconds", 15);
            if (step > 0) {
                out.set("scaling", new Scaling(rig, Duration.ofSeconds(step)).measure());
                out.put("load_average_after_scaling", loadAverage());
                write(file, out);
            }
            if (Boolean.getBoolean("load.cost")) {
                out.set("cost", new Cost(rig).measure(Integer.getInteger("load.cost.sessions", 10_000),
                        Integer.getInteger("load.cost.users", 100_000), Duration.ofMinutes(Long.getLong("load.cost.import.minutes", 15))));
                out.put("load_average_after_cost", loadAverage());
                write(file, out);
            }
            System.err.println("[load] figures written to " + file);
            assertEquals(List.of(), scenario.checks().violations(), "every invariant held");
        }
    }

    private static Duration seconds(String property, long fallback) {
        return Duration.ofSeconds(Long.getLong(property, fallback));
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static void write(Path file, ObjectNode json) throws Exception {
        Files.writeString(file, Http.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
    }
}
