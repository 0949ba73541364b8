package dev.itembank;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Itembank: estimate full-benchmark LLM scores from tiny, well-chosen item subsets. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ItembankApplication {

    public static void main(String[] args) {
        SpringApplication.run(ItembankApplication.class, args);
    }
}
