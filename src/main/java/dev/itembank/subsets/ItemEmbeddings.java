package dev.itembank.subsets;

import java.util.ArrayList;
import java.util.List;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

/**
 * Text embeddings of items, computed in process with all-MiniLM-L6-v2 (quantised, 384 dimensions; the model
 * ships inside the langchain4j jar, so nothing is fetched at run time). The genetic selection uses them to drop
 * items whose text nearly repeats a kept item's.
 */
public final class ItemEmbeddings {

    private static final int BATCH = 64;
    private final EmbeddingModel model;

    public ItemEmbeddings() {
        this.model = new AllMiniLmL6V2QuantizedEmbeddingModel();
    }

    /** One vector per text; null where the text is null or blank. */
    public double[][] embed(List<String> texts) {
        double[][] vectors = new double[texts.size()][];
        List<Integer> positions = new ArrayList<>();
        List<TextSegment> segments = new ArrayList<>();
        for (int k = 0; k < texts.size(); k++) {
            String text = texts.get(k);
            if (text != null && !text.isBlank()) {
                positions.add(k);
                segments.add(TextSegment.from(text));
            }
        }
        for (int from = 0; from < segments.size(); from += BATCH) {
            int to = Math.min(segments.size(), from + BATCH);
            List<Embedding> embeddings = model.embedAll(segments.subList(from, to)).content();
            for (int k = from; k < to; k++) {
                float[] vector = embeddings.get(k - from).vector();
                double[] copy = new double[vector.length];
                for (int d = 0; d < vector.length; d++) {
                    copy[d] = vector[d];
                }
                vectors[positions.get(k)] = copy;
            }
        }
        return vectors;
    }
}
