package dev.itembank.benchmarks;

import java.util.List;
import java.util.Optional;

import jakarta.persistence.LockModeType;

import dev.itembank.api.ApiException;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

interface Benchmarks extends JpaRepository<Benchmark, Long> {

    Optional<Benchmark> findByName(String name);

    /** The benchmark of that name, or a 404 problem. */
    default Benchmark require(String name) {
        return findByName(name).orElseThrow(() -> ApiException.notFound("benchmark", name));
    }

    List<Benchmark> findAllByOrderByNameAsc();

    boolean existsByName(String name);

    /** Locks the benchmark's row until the transaction ends, so that uploads to it get consecutive versions. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select b from Benchmark b where b.name = :name")
    Optional<Benchmark> lockByName(String name);
}
