package org.nsroot.runtime.image;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The runtime part of an image's config ({@code config} of the OCI image config JSON): Env,
 * WorkingDir, Entrypoint, Cmd and User, as the image states them. Untrusted input: the planner
 * checks every field. Immutable; built with {@link #builder()}.
 */
public final class ImageRunConfig {
  /** An image without a config: no env, no command, root. */
  public static final ImageRunConfig EMPTY = builder().build();

  private final List<String> env;
  private final String workingDir;
  private final List<String> entrypoint;
  private final List<String> cmd;
  private final String user;

  private ImageRunConfig(Builder b) {
    env = List.copyOf(b.env);
    workingDir = b.workingDir;
    entrypoint = b.entrypoint == null ? null : List.copyOf(b.entrypoint);
    cmd = b.cmd == null ? null : List.copyOf(b.cmd);
    user = b.user;
  }

  /** A builder with every field absent. */
  public static Builder builder() {
    return new Builder();
  }

  /** {@code Env}: {@code KEY=VALUE} entries, as in the config. */
  public List<String> env() { return env; }

  /** {@code WorkingDir}, or empty. */
  public String workingDir() { return workingDir; }

  /** {@code Entrypoint}, if the image has one. */
  public Optional<List<String>> entrypoint() { return Optional.ofNullable(entrypoint); }

  /** {@code Cmd}, if the image has one. */
  public Optional<List<String>> cmd() { return Optional.ofNullable(cmd); }

  /** {@code User}: {@code uid}, {@code name}, either with {@code :gid} or {@code :group}; or empty. */
  public String user() { return user; }

  /** Builder for {@link ImageRunConfig}; null arguments mean "absent". */
  public static final class Builder {
    private final List<String> env = new ArrayList<>();
    private String workingDir = "";
    private List<String> entrypoint;
    private List<String> cmd;
    private String user = "";

    private Builder() {}

    /** Sets {@code Env} (entries are checked when a run is planned). */
    public Builder env(List<String> entries) {
      env.clear();
      if (entries != null) {
        env.addAll(entries);
      }
      return this;
    }

    /** Sets {@code WorkingDir}. */
    public Builder workingDir(String dir) {
      workingDir = dir == null ? "" : dir;
      return this;
    }

    /** Sets {@code Entrypoint}. */
    public Builder entrypoint(List<String> words) {
      entrypoint = words == null ? null : new ArrayList<>(words);
      return this;
    }

    /** Sets {@code Cmd}. */
    public Builder cmd(List<String> words) {
      cmd = words == null ? null : new ArrayList<>(words);
      return this;
    }

    /** Sets {@code User}. */
    public Builder user(String u) {
      user = u == null ? "" : u;
      return this;
    }

    /** Makes the config. */
    public ImageRunConfig build() {
      return new ImageRunConfig(this);
    }
  }
}
