package org.klaviyosync.e2e;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Starts klaviyo-sync (or another main class of the test classpath) in its own JVM, as a user would. */
final class ChildProcess {

    private ChildProcess() {
    }

    static Process start(String mainClass, String maxHeap, Map<String, String> env, Path log, String... args)
            throws IOException {
        return start(mainClass, maxHeap, List.of(), env, log, args);
    }

    /** With JVM options, e.g. to start faster for a short life. */
    static Process start(String mainClass, String maxHeap, List<String> jvmOptions, Map<String, String> env, Path log,
            String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + maxHeap);
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(new File(System.getProperty("user.dir")))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return pb.start();
    }

    /** The test JVM's class path without the entries whose file name contains {@code fragment}. */
    static String classPathWithout(String fragment) {
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !Path.of(e).getFileName().toString().contains(fragment))
                .collect(java.util.stream.Collectors.joining(File.pathSeparator));
    }

    /** Starts {@code mainClass} on {@code classPath} in {@code workDir}; stdout and stderr go to their own files. */
    static Process start(String classPath, Path workDir, Map<String, String> env, Path out, Path err, String mainClass,
            String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", classPath, mainClass));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().putAll(env);
        return pb.start();
    }
}
