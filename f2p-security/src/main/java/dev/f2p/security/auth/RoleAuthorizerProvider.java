package dev.f2p.security.auth;

import dev.f2p.core.Role;
import dev.f2p.core.spi.Authorizer;
import dev.f2p.core.spi.AuthorizerProvider;
import dev.f2p.core.spi.PolicySettings;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code roles} authorizer: a {@link RoleAuthorizer}. Settings (under {@code f2p.authorizer.roles.}),
 * per role, each falling back to the role's default ({@link RolePolicy#ADMIN}, {@link RolePolicy#USER},
 * {@link RolePolicy#TRIAL}; {@link RolePolicy#NONE} for a host-defined role):
 * {@code <ROLE>.edit} (true/false), {@code <ROLE>.max-width}, {@code <ROLE>.max-height},
 * {@code <ROLE>.max-steps}, {@code <ROLE>.admin} (true/false). For example
 * {@code TRIAL.max-width=512}, {@code PARTNER.edit=true}.
 */
public final class RoleAuthorizerProvider implements AuthorizerProvider {
  @Override
  public String name() {
    return "roles";
  }

  @Override
  public Set<String> settingNames(PolicySettings settings) {
    return Set.of("*.edit", "*.max-width", "*.max-height", "*.max-steps", "*.admin");
  }

  @Override
  public Authorizer create(PolicySettings settings) {
    Map<Role, Boolean> roles = new HashMap<>();
    for (String name : settings.asMap().keySet()) {
      int dot = name.indexOf('.');
      if (dot <= 0) {
        throw new IllegalArgumentException("unexpected setting " + settings.fullName(name) + ": use <ROLE>.<field>");
      }
      roles.put(Role.of(name.substring(0, dot)), true);
    }
    RoleAuthorizer.Builder b = RoleAuthorizer.builder();
    for (Role role : roles.keySet()) {
      PolicySettings s = settings.scope(role.name());
      if (s.asMap().isEmpty()) {
        s = settings.scope(role.name().toLowerCase(java.util.Locale.ROOT));
      }
      RolePolicy base = role.equals(Role.ADMIN) ? RolePolicy.ADMIN : role.equals(Role.USER) ? RolePolicy.USER
          : role.equals(Role.TRIAL) ? RolePolicy.TRIAL : RolePolicy.NONE;
      try {
        b.role(role, new RolePolicy(s.getBoolean("edit", base.mayEdit()),
            s.getInt("max-width", base.maxWidth()), s.getInt("max-height", base.maxHeight()),
            s.getInt("max-steps", base.maxSteps()), s.getBoolean("admin", base.admin())));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(settings.fullName(role.name()) + ": " + e.getMessage(), e);
      }
    }
    return b.build();
  }
}
