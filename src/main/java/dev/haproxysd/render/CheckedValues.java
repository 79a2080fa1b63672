package dev.haproxysd.render;

import dev.haproxysd.model.SafeValue;
import dev.haproxysd.model.UnsafeValueException;
import freemarker.template.SimpleScalar;
import freemarker.template.SimpleCollection;
import freemarker.template.TemplateCollectionModel;
import freemarker.template.TemplateHashModelEx2;
import freemarker.template.TemplateModel;
import freemarker.template.TemplateModelException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Tags, attributes or {@code --var} values as a template hash whose keys and values are checked with {@link
 * SafeValue#value} when read. A hostile value that no template reads does no harm; one that a template reads stops
 * the render with an error naming where it came from.
 */
final class CheckedValues implements TemplateHashModelEx2 {
  private final String owner;
  private final Map<String, String> values;

  CheckedValues(String owner, Map<String, String> values) {
    this.owner = owner;
    this.values = values;
  }

  @Override
  public TemplateModel get(String key) throws TemplateModelException {
    String value = values.get(key);
    return value == null ? null : new SimpleScalar(check(SafeValue.quote(key), value));
  }

  @Override
  public boolean isEmpty() {
    return values.isEmpty();
  }

  @Override
  public int size() {
    return values.size();
  }

  @Override
  public TemplateCollectionModel keys() throws TemplateModelException {
    return collection(new ArrayList<>(values.keySet()), true);
  }

  @Override
  public TemplateCollectionModel values() throws TemplateModelException {
    return collection(new ArrayList<>(values.keySet()), false);
  }

  @Override
  public KeyValuePairIterator keyValuePairIterator() {
    Iterator<Map.Entry<String, String>> entries = values.entrySet().iterator();
    return new KeyValuePairIterator() {
      @Override
      public boolean hasNext() {
        return entries.hasNext();
      }

      @Override
      public KeyValuePair next() throws TemplateModelException {
        Map.Entry<String, String> e = entries.next();
        TemplateModel key = new SimpleScalar(check("name", e.getKey()));
        TemplateModel value = new SimpleScalar(check(SafeValue.quote(e.getKey()), e.getValue()));
        return new KeyValuePair() {
          @Override
          public TemplateModel getKey() {
            return key;
          }

          @Override
          public TemplateModel getValue() {
            return value;
          }
        };
      }
    };
  }

  private TemplateCollectionModel collection(List<String> keys, boolean wantKeys) throws TemplateModelException {
    List<TemplateModel> checked = new ArrayList<>(keys.size());
    for (String key : keys) {
      checked.add(
          wantKeys
              ? new SimpleScalar(check("name", key))
              : new SimpleScalar(check(SafeValue.quote(key), values.get(key))));
    }
    return new SimpleCollection(checked, DataModel.WRAPPER);
  }

  private String check(String field, String value) throws TemplateModelException {
    try {
      return SafeValue.value(owner + " " + field, value);
    } catch (UnsafeValueException e) {
      throw new TemplateModelException(e.getMessage(), e);
    }
  }
}
