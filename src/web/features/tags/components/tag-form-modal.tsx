import { Button, ColorInput, DEFAULT_THEME, Group, Modal, Stack, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { DEFAULT_TAG_COLOR, type Tag, type TagCreate, tagCreateSchema } from '../../../../shared/tags.js';
import { isApiError } from '../../../lib/api-client.js';
import { notifyError, notifySuccess } from '../../../lib/notify.js';
import { zodErrors } from '../../../lib/zod-form.js';
import { useCreateTag } from '../api/create-tag.js';
import { useUpdateTag } from '../api/update-tag.js';

interface Values {
  name: string;
  color: string;
  description: string;
}

/** Mantine's palette at shade 7: strong enough to read white or black text on. */
const swatches = [
  'gray',
  'red',
  'pink',
  'grape',
  'violet',
  'indigo',
  'blue',
  'cyan',
  'teal',
  'green',
  'lime',
  'yellow',
  'orange',
].map((c) => DEFAULT_THEME.colors[c]![7]);

function toBody(values: Values): TagCreate {
  return { name: values.name, color: values.color.trim(), description: values.description.trim() || null };
}

/** Create a tag, or edit `tag` when given: name, colour (hex only) and description. */
export function TagFormModal({ opened, onClose, tag }: { opened: boolean; onClose: () => void; tag?: Tag }) {
  const create = useCreateTag();
  const update = useUpdateTag();
  const form = useForm<Values>({
    initialValues: {
      name: tag?.name ?? '',
      color: tag?.color ?? DEFAULT_TAG_COLOR,
      description: tag?.description ?? '',
    },
    validate: (values) => zodErrors(tagCreateSchema, toBody(values)),
  });
  const close = () => {
    form.reset();
    create.reset();
    update.reset();
    onClose();
  };
  const onError = (error: unknown) => {
    if (isApiError(error, 409)) {
      form.setFieldError('name', 'A tag with this name already exists');
      return;
    }
    if (isApiError(error)) form.setErrors(error.fieldErrors);
    notifyError(error, tag ? 'Could not save the tag' : 'Could not create the tag');
  };

  return (
    <Modal opened={opened} onClose={close} title={tag ? `Edit tag ${tag.name}` : 'New tag'} centered>
      <form
        noValidate
        onSubmit={form.onSubmit((values) => {
          const body = toBody(values);
          if (tag) {
            update.mutate(
              { id: tag.id, body },
              {
                onSuccess: (saved) => {
                  notifySuccess(`Tag ${saved.name} saved`);
                  close();
                },
                onError,
              },
            );
          } else {
            create.mutate(body, {
              onSuccess: (saved) => {
                notifySuccess(`Tag ${saved.name} created`);
                close();
              },
              onError,
            });
          }
        })}
      >
        <Stack gap="sm">
          <TextInput label="Name" required maxLength={50} data-autofocus {...form.getInputProps('name')} />
          <ColorInput
            label="Colour"
            description="Pick a swatch or type a hex colour such as #1971c2"
            format="hex"
            swatches={swatches}
            swatchesPerRow={13}
            popoverProps={{ width: 'target' }}
            fullWidth
            withEyeDropper={false}
            // the free picker's sliders have no accessible names: type a hex code or pick a swatch
            withPicker={false}
            required
            {...form.getInputProps('color')}
          />
          <Textarea label="Description" rows={3} maxLength={500} {...form.getInputProps('description')} />
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending || update.isPending}>
              {tag ? 'Save tag' : 'Create tag'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
