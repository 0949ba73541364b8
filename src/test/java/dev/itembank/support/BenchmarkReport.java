package dev.itembank.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Collects benchmark figures as a markdown table, prints it and writes it to target/benchmarks/NAME.md. */
public final class BenchmarkReport {

    private final String name;
    private final String title;
    private final List<String> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    public BenchmarkReport(String name, String title) {
        this.name = name;
        this.title = title;
    }

    /** A figure with its unit, the target it is held to (or "" when none) and how it compares. */
    public BenchmarkReport row(String what, String measured, String target, String verdict) {
        rows.add("| " + what + " | " + measured + " | " + target + " | " + verdict + " |");
        return this;
    }

    public BenchmarkReport note(String note) {
        notes.add(note);
        return this;
    }

    public static String within(double measured, double limit) {
        return measured <= limit ? String.format("met (%.2fx of the limit)", measured / limit)
                : String.format("MISSED (%.2fx of the limit)", measured / limit);
    }

    public String write() {
        StringBuilder text = new StringBuilder("### ").append(title).append("\n\n")
                .append("| figure | measured | target | verdict |\n|---|---|---|---|\n");
        rows.forEach(row -> text.append(row).append('\n'));
        if (!notes.isEmpty()) {
            text.append('\n');
            notes.forEach(note -> text.append("- ").append(note).append('\n'));
        }
        String report = text.toString();
        System.out.println("\n" + report);
        try {
            Path file = Path.of("target", "benchmarks", name + ".md");
            Files.createDirectories(file.getParent());
            Files.writeString(file, report);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return report;
    }
}
