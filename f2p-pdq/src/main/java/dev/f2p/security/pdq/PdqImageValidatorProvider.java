package dev.f2p.security.pdq;

import dev.f2p.core.spi.ImageValidator;
import dev.f2p.core.spi.ImageValidatorProvider;
import dev.f2p.core.spi.PolicySettings;
import java.util.NoSuchElementException;

/**
 * Provider {@code pdq}: a {@link PdqHashListValidator} around another image validator. Settings (under
 * {@code f2p.image-validator.}):
 *
 * <ul>
 *   <li>{@code delegate.type} (required): the name of the image validator that checks and decodes the bytes,
 *       such as {@code standard}; its own settings go under {@code delegate.}, for example
 *       {@code f2p.image-validator.delegate.max-pixels};
 *   <li>{@code list}: a hash-list file ({@code hash<TAB>label} lines, see {@link PdqHashList}); without it
 *       pictures are only fingerprinted;
 *   <li>{@code max-distance}: refuse within this Hamming distance, 0..63, default 31;
 *   <li>{@code dihedral}: also match rotated and flipped copies, default {@code true};
 *   <li>{@code max-entries}: the most entries the file may hold, default 2000000;
 *   <li>{@code reload}: check the file for changes at this interval (such as {@code 1m}, at least
 *       {@code 1s}) and reload it; a broken file keeps the previous list. Default: load once.
 * </ul>
 *
 * The output-policy provider of the same name reading the same file shares the loaded list.
 */
public final class PdqImageValidatorProvider implements ImageValidatorProvider {
  @Override
  public String name() {
    return PdqSettings.NAME;
  }

  @Override
  public java.util.Set<String> settingNames(PolicySettings settings) {
    return PdqSettings.settingNames(ImageValidatorProvider.class, settings);
  }

  @Override
  public ImageValidator create(PolicySettings settings) throws Exception {
    return PdqSettings.decorate(ImageValidatorProvider.class, settings,
        () -> {
          throw new NoSuchElementException("missing setting " + settings.fullName(PdqSettings.DELEGATE_TYPE));
        },
        PdqHashListValidator::new);
  }
}
