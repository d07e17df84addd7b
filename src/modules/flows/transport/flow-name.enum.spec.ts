import { ALL_FLOWS } from 'src/modules/flows/domain/flow';
import { FlowValue, toFlow } from 'src/modules/flows/transport/flow-name.enum';

describe('FlowValue', () => {
  it('lists every flow of the domain, with the same strings', () => {
    expect(Object.values(FlowValue).map(toFlow)).toEqual(ALL_FLOWS);
  });
});
