package dev.f2p.security.auth;

import dev.f2p.core.EditRequest;

/**
 * What one role may do: edit images at all, up to which output size and step count, and administrative
 * actions. Immutable.
 *
 * @param mayEdit whether the role may request edits
 * @param maxWidth the widest output, pixels
 * @param maxHeight the tallest output, pixels
 * @param maxSteps the most inference steps
 * @param admin whether the role may perform administrative actions
 */
public record RolePolicy(boolean mayEdit, int maxWidth, int maxHeight, int maxSteps, boolean admin) {
  /** Administrators: edits at any size the API allows, and admin actions. */
  public static final RolePolicy ADMIN = new RolePolicy(true, EditRequest.MAX_SIDE, EditRequest.MAX_SIDE, EditRequest.MAX_STEPS, true);
  /** Regular callers: edits up to 1024x1024 and 50 steps. */
  public static final RolePolicy USER = new RolePolicy(true, 1024, 1024, 50, false);
  /** Trial keys: edits up to 512x512 and 20 steps. */
  public static final RolePolicy TRIAL = new RolePolicy(true, 512, 512, 20, false);
  /** No edits, no admin. */
  public static final RolePolicy NONE = new RolePolicy(false, EditRequest.MIN_SIDE, EditRequest.MIN_SIDE, 1, false);

  /**
   * Checks the limits against what the API allows at all.
   *
   * @param mayEdit whether the role may request edits
   * @param maxWidth the widest output, pixels
   * @param maxHeight the tallest output, pixels
   * @param maxSteps the most inference steps
   * @param admin whether the role may perform administrative actions
   * @throws IllegalArgumentException when a side is outside {@link EditRequest#MIN_SIDE}..{@link
   *     EditRequest#MAX_SIDE} or the steps outside 1..{@link EditRequest#MAX_STEPS}
   */
  public RolePolicy {
    if (maxWidth < EditRequest.MIN_SIDE || maxWidth > EditRequest.MAX_SIDE) {
      throw new IllegalArgumentException("maxWidth must be " + EditRequest.MIN_SIDE + ".." + EditRequest.MAX_SIDE + ": " + maxWidth);
    }
    if (maxHeight < EditRequest.MIN_SIDE || maxHeight > EditRequest.MAX_SIDE) {
      throw new IllegalArgumentException("maxHeight must be " + EditRequest.MIN_SIDE + ".." + EditRequest.MAX_SIDE + ": " + maxHeight);
    }
    if (maxSteps < 1 || maxSteps > EditRequest.MAX_STEPS) {
      throw new IllegalArgumentException("maxSteps must be 1.." + EditRequest.MAX_STEPS + ": " + maxSteps);
    }
  }

  /** Whether a request of this shape is within the policy. */
  boolean allows(EditRequest request) {
    return mayEdit && request.width() <= maxWidth && request.height() <= maxHeight && request.steps() <= maxSteps;
  }

  /** The most generous of two policies, field by field: a principal holding both roles may do either. */
  RolePolicy union(RolePolicy other) {
    return new RolePolicy(mayEdit || other.mayEdit, Math.max(maxWidth, other.maxWidth),
        Math.max(maxHeight, other.maxHeight), Math.max(maxSteps, other.maxSteps), admin || other.admin);
  }
}
