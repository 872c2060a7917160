import { MultiSelect, type MultiSelectProps, Pill } from '@mantine/core';

/**
 * A MultiSelect that stays one line high in toolbars: the first choice as a pill, then "+N".
 * The full selection is in the dropdown (checked options) and in the clear button's reach.
 */
export function CompactMultiSelect(props: MultiSelectProps) {
  const value = props.value ?? [];
  return (
    <MultiSelect
      {...props}
      renderPill={({ option }) =>
        option.value === value[0] ? (
          <Pill key={String(option.value)} size="sm">
            {option.label}
            {value.length > 1 ? ` +${value.length - 1}` : ''}
          </Pill>
        ) : null
      }
    />
  );
}
