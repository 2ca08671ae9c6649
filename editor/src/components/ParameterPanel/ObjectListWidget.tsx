import type { ParameterSchema } from '../../api/types.js';
import { useT } from '../../hooks/useT.js';
import { formFields } from '../../schema/widgets.js';
import { ValueWidget, type WidgetProps } from './fields.js';

type Item = Record<string, unknown>;

function asItems(value: unknown): Item[] {
  return Array.isArray(value)
    ? value.map((item) => (typeof item === 'object' && item !== null ? (item as Item) : {}))
    : [];
}

/**
 * Edits a list of objects, such as the fields of a DBF table or the layouts of a text file, with
 * one small form per item, with the titles and help of the item's fields, and buttons to add and remove
 * items.
 */
export function ObjectListWidget({ id, schema, value, onChange }: WidgetProps) {
  const t = useT();
  const itemSchema: ParameterSchema = schema.items ?? {};
  const fields = formFields({
    properties: itemSchema.properties ?? {},
    ...(itemSchema.required === undefined ? {} : { required: itemSchema.required }),
  });
  const items = asItems(value);
  const update = (next: Item[]) => onChange(next.length === 0 ? undefined : next);
  const setField = (index: number, name: string, fieldValue: unknown) => {
    const item = { ...items[index] };
    if (fieldValue === undefined || fieldValue === '') delete item[name];
    else item[name] = fieldValue;
    update(items.map((old, position) => (position === index ? item : old)));
  };

  return (
    <div className="object-list" id={id}>
      {items.map((item, index) => (
        <fieldset key={index} className="object-list-item">
          <legend>{t('param.item', { index: index + 1 })}</legend>
          {fields.map((field) => {
            const fieldId = `${id}-${index}-${field.name}`;
            const props: WidgetProps = {
              id: fieldId,
              schema: field.schema,
              value: item[field.name],
              onChange: (next) => setField(index, field.name, next),
            };
            return (
              <div
                className={`field field-${field.widget}`}
                key={field.name}
                data-field={field.name}
              >
                <label htmlFor={fieldId}>
                  {field.schema.title ?? field.name}
                  {field.required && <span className="required"> *</span>}
                </label>
                {field.widget === 'objects' ? (
                  <ObjectListWidget {...props} />
                ) : (
                  <ValueWidget
                    widget={field.widget === 'codepage' ? 'choice' : field.widget}
                    props={props}
                  />
                )}
                {field.schema.description !== undefined && (
                  <div className="help">{field.schema.description}</div>
                )}
              </div>
            );
          })}
          <button
            type="button"
            onClick={() => update(items.filter((_, position) => position !== index))}
          >
            {t('param.removeItem')}
          </button>
        </fieldset>
      ))}
      <button type="button" onClick={() => update([...items, {}])}>
        {t('param.addItem')}
      </button>
    </div>
  );
}
